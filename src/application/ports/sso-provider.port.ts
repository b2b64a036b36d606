import type { InputError, UnauthenticatedError } from '../../domain/shared/errors.js';
import type { Result } from '../../domain/shared/result.js';

export interface SsoIdentity {
  personId: string;
  provider: string;
  attributes: Record<string, string>;
  externalRef: string;
  returnTo: string | null;
}

/**
 * What the browser must carry from the login redirect back to the callback (OpenID Connect's state,
 * nonce and PKCE verifier); the HTTP adapter keeps it in a signed, HTTP-only cookie bound to that
 * browser. CAS needs none.
 */
export type SsoFlow = Record<string, string>;

/** A redirect-based single sign-on server of the university (CAS, OpenID Connect). */
export interface SsoProvider {
  /** 'cas' or 'oidc': names its routes under /api/v1/auth/{id}/. */
  readonly id: string;
  /** Where to send the browser to sign in, and what the callback will need to check the answer. */
  begin(options: { returnTo?: string }): Promise<{ url: string; flow: SsoFlow | null }>;
  /** Verifies the proof the callback received (a ticket, a code) with the SSO server. */
  complete(options: {
    query: Record<string, string | undefined>;
    flow: SsoFlow | null;
  }): Promise<Result<SsoIdentity, UnauthenticatedError>>;
  /**
   * The server-side reference a single-logout request names, or null when it is not one; a
   * request the hall will not read (a document type or entity declarations, malformed XML) is an
   * InputError naming the field.
   */
  logoutReference(body: Record<string, string | undefined>): Result<string | null, InputError>;
  /** Whether a single-logout request from this client address comes from the SSO server itself. */
  acceptsLogoutFrom(address: string): Promise<boolean>;
}
