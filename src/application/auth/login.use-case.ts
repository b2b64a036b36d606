import { RateLimitedError, UnauthenticatedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Clock } from '../ports/clock.port.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { LoginAttempts } from '../ports/login-attempts.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { SessionStore } from '../ports/session-store.port.js';
import type { Metrics } from '../ports/metrics.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';

const WINDOW_MINUTES = 15;
/** An address is refused after this many times an account's limit, whichever accounts it tried. */
const ADDRESS_FACTOR = 10;

type LoginResult = {
  token: string;
  expiresAt: string;
  person: { id: string; name: string; unit: string; type: string };
};

/**
 * Signs a person in through the configured identity provider; only active people get a session.
 * Every attempt is recorded and audited (account misuse must be traceable, Art. 19). After too
 * many failures for one account, from whichever addresses, its sign-ins are refused for a while
 * (even with the right password); so are an address's after ten times as many, whichever
 * accounts it tried. The failures age out of the window: the lockout ends by itself.
 */
export class LoginUseCase {
  constructor(
    private readonly deps: {
      identity: IdentityProvider;
      sessions: SessionStore;
      organisation: Organisation;
      clock: Clock;
      loginAttempts: LoginAttempts;
      uow: UnitOfWork;
      loginMaxFailures: number;
      metrics: Pick<Metrics, 'signedIn'>;
    },
  ) {}

  async execute(input: {
    username: string;
    password: string;
    ip: string;
    /** The client's User-Agent, kept with the session (Art. 19). */
    client?: string;
    requestId?: string;
  }): Promise<Result<LoginResult, UnauthenticatedError | RateLimitedError>> {
    const { clock, loginAttempts, loginMaxFailures } = this.deps;
    const at = clock.now();
    // 'Zhang' and 'zhang' are one account to a directory: one count
    const account = { username: input.username.trim().toLowerCase(), ip: input.ip };
    const failures = await loginAttempts.recentFailures({
      ...account,
      since: new Date(at.getTime() - WINDOW_MINUTES * 60_000),
    });
    if (failures.ofAccount >= loginMaxFailures || failures.fromAddress >= loginMaxFailures * ADDRESS_FACTOR) {
      await this.trace(input, null, 'auth.login-blocked', at);
      this.deps.metrics.signedIn({ method: 'password', outcome: 'locked' });
      return err(
        new RateLimitedError(
          'AUTH.TOO_MANY_ATTEMPTS',
          `too many failed sign-ins; try again in ${WINDOW_MINUTES} minutes`,
          { retryAfterSeconds: WINDOW_MINUTES * 60 },
        ),
      );
    }
    const who = await this.deps.identity.authenticate(input);
    const person = who.ok ? await this.deps.organisation.person(who.value.personId) : null;
    if (!who.ok || !person || person.status !== 'active') {
      await loginAttempts.record({ ...account, success: false, at });
      await this.trace(input, person?.id ?? null, 'auth.login-failed', at);
      this.deps.metrics.signedIn({ method: 'password', outcome: 'failure' });
      return err(who.ok ? new UnauthenticatedError('AUTH.ACCOUNT_DISABLED', 'this account is disabled') : who.error);
    }
    await loginAttempts.record({ ...account, success: true, at });
    const { token, session } = await this.deps.sessions.open({
      personId: person.id,
      provider: who.value.provider,
      at,
      ip: input.ip,
      client: input.client,
    });
    await this.trace(input, person.id, 'auth.login-succeeded', at, session.id);
    this.deps.metrics.signedIn({ method: 'password', outcome: 'success' });
    return ok({
      token,
      expiresAt: session.expiresAt.toISOString(),
      person: { id: person.id, name: person.name, unit: person.unit, type: person.type },
    });
  }

  private async trace(
    input: { username: string; ip: string; client?: string; requestId?: string },
    personId: string | null,
    action: string,
    at: Date,
    sessionId?: string,
  ): Promise<void> {
    await this.deps.uow.run(async (scope) => {
      await scope.audit.record({
        actorId: personId ?? 'anonymous',
        action,
        entityType: 'account',
        entityId: input.username,
        at,
        requestId: input.requestId ?? null,
        after: {
          ip: input.ip,
          client: input.client ?? null,
          provider: this.deps.identity.id,
          ...(sessionId ? { sessionId } : {}),
        },
      });
    });
  }
}
