import * as client from 'openid-client';
import { UnauthenticatedError } from '../../../domain/shared/errors.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { SsoFlow, SsoIdentity, SsoProvider } from '../../../application/ports/sso-provider.port.js';

export interface OidcConfig {
  /** The provider's issuer; its /.well-known/openid-configuration is discovered on first use. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret: string | undefined;
  /** This hall's callback, exactly as registered with the provider. */
  redirectUri: string;
  scopes: string;
  /** The ID-token claim holding the staff/student number (sub, preferred_username, …). */
  idClaim: string;
  timeoutMs: number;
}

const refused = (code: string, message: string) => err(new UnauthenticatedError(`AUTH.OIDC_${code}`, message));

/**
 * OpenID Connect sign-in with openid-client: authorization code flow with PKCE (S256), state and
 * nonce. The verifier, state and nonce travel back in the flow (a signed cookie bound to the
 * browser that started the sign-in), never through the provider. The ID token is checked by
 * openid-client (issuer, audience, signature, expiry, nonce) before its claims are trusted.
 */
export class OidcSsoProvider implements SsoProvider {
  readonly id = 'oidc';
  private discovered: Promise<client.Configuration> | undefined;

  constructor(private readonly config: OidcConfig) {}

  private configuration(): Promise<client.Configuration> {
    this.discovered ??= (async () => {
      const insecure = new URL(this.config.issuer).protocol === 'http:';
      const c = await client.discovery(
        new URL(this.config.issuer),
        this.config.clientId,
        this.config.clientSecret,
        this.config.clientSecret ? undefined : client.None(),
        { execute: insecure ? [client.allowInsecureRequests] : [], timeout: Math.ceil(this.config.timeoutMs / 1000) },
      );
      c.timeout = Math.ceil(this.config.timeoutMs / 1000);
      return c;
    })();
    // a failed discovery is tried again at the next sign-in rather than remembered
    this.discovered.catch(() => {
      this.discovered = undefined;
    });
    return this.discovered;
  }

  async begin(o: { returnTo?: string }): Promise<{ url: string; flow: SsoFlow }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const flow: SsoFlow = { state: client.randomState(), nonce: client.randomNonce(), verifier };
    if (o.returnTo) flow.returnTo = o.returnTo;
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes,
      state: flow.state!,
      nonce: flow.nonce!,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  async complete(o: {
    query: Record<string, string | undefined>;
    flow: SsoFlow | null;
  }): Promise<Result<SsoIdentity, UnauthenticatedError>> {
    const { flow, query } = o;
    if (query.error)
      return refused(
        'DENIED',
        `the identity provider refused the sign-in: ${query.error}${query.error_description ? ` (${query.error_description})` : ''}`,
      );
    if (!flow?.state || !flow.nonce || !flow.verifier)
      return refused('NO_FLOW', 'this browser did not start a sign-in here (or it expired): start again');
    if (query.state !== flow.state)
      return refused('STATE_MISMATCH', 'the answer does not belong to the sign-in this browser started');
    if (!query.code) return refused('NO_CODE', 'the callback carries no authorization code');
    let claims: client.IDToken | undefined;
    try {
      const config = await this.configuration();
      const current = new URL(this.config.redirectUri);
      for (const [k, v] of Object.entries(query)) if (v !== undefined) current.searchParams.set(k, v);
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (e) {
      if (e instanceof client.ResponseBodyError)
        return refused('TOKEN_REFUSED', `the identity provider refused the code: ${e.error}`);
      if (e instanceof client.ClientError && e.code !== 'OAUTH_TIMEOUT' && e.code !== 'OAUTH_ABORT')
        return refused('BAD_RESPONSE', `the identity provider's answer failed verification: ${e.message}`);
      return refused(
        'UNAVAILABLE',
        `the identity provider could not be reached: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const attributes = Object.fromEntries(
      Object.entries(claims ?? {})
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
        .map(([k, v]) => [k, String(v)]),
    );
    const personId = attributes[this.config.idClaim];
    if (!personId) return refused('NO_ID', `the ID token has no '${this.config.idClaim}' claim`);
    return ok({
      personId,
      provider: this.id,
      attributes,
      externalRef: attributes.sid ?? `oidc:${attributes.sub ?? personId}`,
      returnTo: flow.returnTo ?? null,
    });
  }

  /** Back-channel logout is not taken: sessions end by their own timeouts or the hall's logout. */
  /** No single logout through this hall's CAS-style endpoint. */
  logoutReference(): Result<null, never> {
    return ok(null);
  }

  acceptsLogoutFrom(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
