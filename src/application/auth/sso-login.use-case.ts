import { NotAllowedError, NotFoundError, UnauthenticatedError, type InputError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { SessionStore } from '../ports/session-store.port.js';
import type { Metrics } from '../ports/metrics.port.js';
import type { SsoFlow, SsoProvider } from '../ports/sso-provider.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { checkReturnTo } from './return-to.js';

/**
 * Unified identity authentication (统一身份认证, Art. 16): sign-in through the university's SSO
 * server. Only active people the hall knows get a session; single logout from the server ends it.
 * Every step is audited.
 */
export class SsoLoginUseCase {
  constructor(
    private readonly deps: {
      sso: SsoProvider[];
      sessions: SessionStore;
      organisation: Organisation;
      clock: Clock;
      uow: UnitOfWork;
      /** Origins of the portal a sign-in may return to besides this site's own paths. */
      portalOrigins: readonly string[];
      metrics: Pick<Metrics, 'signedIn'>;
    },
  ) {}

  private provider(id: string): Result<SsoProvider, NotFoundError> {
    const found = this.deps.sso.find((p) => p.id === id);
    return found
      ? ok(found)
      : err(new NotFoundError('AUTH.SSO_NOT_CONFIGURED', `no ${id.toUpperCase()} single sign-on server is configured`));
  }

  /** Where to send the browser, and what it must bring back to the callback. */
  async begin(input: {
    provider: string;
    returnTo?: string;
  }): Promise<Result<{ url: string; flow: SsoFlow | null }, NotFoundError | UnauthenticatedError | InputError>> {
    const p = this.provider(input.provider);
    if (!p.ok) return p;
    const returnTo = checkReturnTo(input.returnTo, this.deps.portalOrigins);
    if (!returnTo.ok) return returnTo;
    try {
      return ok(await p.value.begin({ returnTo: returnTo.value }));
    } catch (e) {
      return err(
        new UnauthenticatedError(
          'AUTH.SSO_UNAVAILABLE',
          `the sign-in server could not be reached: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
  }

  async complete(input: {
    provider: string;
    query: Record<string, string | undefined>;
    flow: SsoFlow | null;
    ip: string;
    /** The client's User-Agent, kept with the session (Art. 19). */
    client?: string;
    requestId?: string;
  }): Promise<
    Result<
      { token: string; expiresAt: string; person: { id: string; name: string }; returnTo: string | null },
      NotFoundError | UnauthenticatedError | InputError
    >
  > {
    const p = this.provider(input.provider);
    if (!p.ok) return p;
    // a callback link someone else made up: refused before the ticket is spent
    const asked = checkReturnTo(input.query.returnTo, this.deps.portalOrigins);
    if (!asked.ok) return asked;
    const at = this.deps.clock.now();
    const who = await p.value.complete({ query: input.query, flow: input.flow });
    const person = who.ok ? await this.deps.organisation.person(who.value.personId) : null;
    if (!who.ok || !person || person.status !== 'active') {
      await this.audit(
        'auth.sso-login-failed',
        person?.id ?? 'anonymous',
        who.ok ? who.value.personId : 'unknown',
        { ip: input.ip, reason: who.ok ? 'not an active person of the hall' : who.error.code },
        at,
        input.requestId,
      );
      this.deps.metrics.signedIn({ method: p.value.id, outcome: 'failure' });
      return err(
        who.ok
          ? new UnauthenticatedError('AUTH.ACCOUNT_DISABLED', 'this account is not active in the hall')
          : who.error,
      );
    }
    const { token, session } = await this.deps.sessions.open({
      personId: person.id,
      provider: who.value.provider,
      at,
      externalRef: who.value.externalRef,
      ip: input.ip,
      client: input.client,
    });
    await this.audit(
      'auth.login-succeeded',
      person.id,
      person.id,
      { ip: input.ip, client: input.client ?? null, provider: who.value.provider, sessionId: session.id },
      at,
      input.requestId,
    );
    this.deps.metrics.signedIn({ method: p.value.id, outcome: 'success' });
    return ok({
      token,
      expiresAt: session.expiresAt.toISOString(),
      person: { id: person.id, name: person.name },
      returnTo: who.value.returnTo,
    });
  }

  /**
   * Single logout: the SSO server says a sign-in ended; the sessions it opened end too. Only the
   * server may say so (`from`: the client address): a ticket is no secret from its browser.
   */
  async logout(input: {
    provider: string;
    body: Record<string, string | undefined>;
    from: string;
  }): Promise<Result<{ ended: number }, NotFoundError | NotAllowedError | InputError>> {
    const p = this.provider(input.provider);
    if (!p.ok) return p;
    if (!(await p.value.acceptsLogoutFrom(input.from)))
      return err(
        new NotAllowedError(
          'AUTH.LOGOUT_NOT_FROM_SSO_SERVER',
          'single logout is accepted only from the single sign-on server',
        ),
      );
    const read = p.value.logoutReference(input.body);
    if (!read.ok) return read;
    const ref = read.value;
    if (!ref) return ok({ ended: 0 });
    const at = this.deps.clock.now();
    const ended = await this.deps.sessions.endByExternalRef(ref, at);
    await this.audit('auth.single-logout', 'sso', ref, { ended }, at);
    return ok({ ended });
  }

  private async audit(
    action: string,
    actorId: string,
    entityId: string,
    after: Record<string, unknown>,
    at: Date,
    requestId?: string,
  ): Promise<void> {
    await this.deps.uow.run(async (scope) => {
      await scope.audit.record({
        actorId,
        action,
        entityType: 'account',
        entityId,
        after,
        at,
        requestId: requestId ?? null,
      });
    });
  }
}
