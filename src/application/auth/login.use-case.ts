import { RateLimitedError, UnauthenticatedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Clock } from '../ports/clock.port.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { LoginAttempts } from '../ports/login-attempts.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { SessionStore } from '../ports/session-store.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';

const WINDOW_MINUTES = 15;

type LoginResult = {
  token: string;
  expiresAt: string;
  person: { id: string; name: string; unit: string; type: string };
};

/**
 * Signs a person in through the configured identity provider; only active people get a session.
 * Every attempt is recorded and audited (account misuse must be traceable, Art. 19); after too
 * many failures for one username from one address, attempts are refused for a while.
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
    },
  ) {}

  async execute(input: {
    username: string;
    password: string;
    ip: string;
    requestId?: string;
  }): Promise<Result<LoginResult, UnauthenticatedError | RateLimitedError>> {
    const { clock, loginAttempts } = this.deps;
    const at = clock.now();
    const failures = await loginAttempts.failuresSince({
      username: input.username,
      ip: input.ip,
      since: new Date(at.getTime() - WINDOW_MINUTES * 60_000),
    });
    if (failures >= this.deps.loginMaxFailures) {
      await this.trace(input, null, 'auth.login-blocked', at);
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
      await loginAttempts.record({ username: input.username, ip: input.ip, success: false, at });
      await this.trace(input, person?.id ?? null, 'auth.login-failed', at);
      return err(who.ok ? new UnauthenticatedError('AUTH.ACCOUNT_DISABLED', 'this account is disabled') : who.error);
    }
    await loginAttempts.record({ username: input.username, ip: input.ip, success: true, at });
    const { token, session } = await this.deps.sessions.open({ personId: person.id, provider: who.value.provider, at });
    await this.trace(input, person.id, 'auth.login-succeeded', at, session.id);
    return ok({
      token,
      expiresAt: session.expiresAt.toISOString(),
      person: { id: person.id, name: person.name, unit: person.unit, type: person.type },
    });
  }

  private async trace(
    input: { username: string; ip: string; requestId?: string },
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
        after: { ip: input.ip, provider: this.deps.identity.id, ...(sessionId ? { sessionId } : {}) },
      });
    });
  }
}
