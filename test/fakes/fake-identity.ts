import { UnauthenticatedError } from '../../src/domain/shared/errors.js';
import { err, ok, type Result } from '../../src/domain/shared/result.js';
import type { AuthenticatedIdentity, IdentityProvider } from '../../src/application/ports/identity-provider.port.js';
import type { LoginAttempts } from '../../src/application/ports/login-attempts.port.js';
import type { Session, SessionStore } from '../../src/application/ports/session-store.port.js';
import type { SsoFlow, SsoIdentity, SsoProvider } from '../../src/application/ports/sso-provider.port.js';
import type { InMemoryDatabase } from './in-memory-database.js';

/** Local accounts: username -> password and person, refused as LocalIdentityProvider refuses. */
export class FakeIdentityProvider implements IdentityProvider {
  readonly id = 'local';
  constructor(private readonly accounts: Record<string, { password: string; personId: string }> = {}) {}

  async authenticate(c: {
    username: string;
    password: string;
  }): Promise<Result<AuthenticatedIdentity, UnauthenticatedError>> {
    const account = this.accounts[c.username];
    if (!account || account.password !== c.password)
      return err(new UnauthenticatedError('AUTH.INVALID_CREDENTIALS', 'unknown username or wrong password'));
    return ok({ personId: account.personId, provider: this.id });
  }
}

/** Sessions in the sessions table (so an offboarding's endSessions ends them too); tokens are opaque. */
export class InMemorySessionStore implements SessionStore {
  constructor(
    private readonly db: InMemoryDatabase,
    private readonly ttlMinutes = 480,
  ) {}

  open(o: {
    personId: string;
    provider: string;
    at: Date;
    externalRef?: string;
    ip?: string;
    client?: string;
  }): Promise<{ token: string; session: Session }> {
    const id = globalThis.crypto.randomUUID();
    const session = {
      id,
      personId: o.personId,
      provider: o.provider,
      expiresAt: new Date(o.at.getTime() + this.ttlMinutes * 60_000),
    };
    return this.db.autocommit((s) => {
      s.sessions.push({
        ...session,
        token: `token-${id}`,
        externalRef: o.externalRef ?? null,
        ip: o.ip ?? null,
        client: o.client ?? null,
        endedAt: null,
      });
      return { token: `token-${id}`, session };
    });
  }

  async resolve(token: string, at: Date): Promise<Session | null> {
    const found = this.db.read('sessions', (s) =>
      s.sessions.find((x) => x.token === token && x.endedAt === null && x.expiresAt > at),
    );
    return found
      ? { id: found.id, personId: found.personId, provider: found.provider, expiresAt: found.expiresAt }
      : null;
  }

  end(sessionId: string, at: Date): Promise<void> {
    return this.db.autocommit((s) => {
      for (const x of s.sessions) if (x.id === sessionId && x.endedAt === null) x.endedAt = at;
    });
  }

  endByExternalRef(externalRef: string, at: Date): Promise<number> {
    return this.db.autocommit((s) => {
      const live = s.sessions.filter((x) => x.externalRef === externalRef && x.endedAt === null);
      for (const x of live) x.endedAt = at;
      return live.length;
    });
  }
}

export class InMemoryLoginAttempts implements LoginAttempts {
  constructor(private readonly db: InMemoryDatabase) {}

  async recentFailures(o: {
    username: string;
    ip: string;
    since: Date;
  }): Promise<{ ofAccount: number; fromAddress: number }> {
    return this.db.read('login attempts', (s) => {
      const recent = s.loginAttempts.filter((a) => !a.success && a.at >= o.since);
      const lastSuccess = Math.max(
        -Infinity,
        ...s.loginAttempts.filter((a) => a.username === o.username && a.success).map((a) => a.at.getTime()),
      );
      return {
        ofAccount: recent.filter((a) => a.username === o.username && a.at.getTime() > lastSuccess).length,
        fromAddress: recent.filter((a) => a.ip === o.ip).length,
      };
    });
  }

  record(attempt: { username: string; ip: string; success: boolean; at: Date }): Promise<void> {
    return this.db.autocommit((s) => {
      s.loginAttempts.push({ ...attempt });
    });
  }
}

/**
 * A CAS-like server: `tickets` maps a ticket to the identity it proves (an unknown ticket is
 * refused); a logout request names its ticket in `logoutRequest` and comes from one of
 * `logoutSenders`; `unreachable` makes `begin` fail.
 */
export class FakeSsoProvider implements SsoProvider {
  readonly tickets = new Map<string, Omit<SsoIdentity, 'externalRef'>>();
  unreachable: Error | null = null;
  constructor(readonly id = 'cas') {}

  async begin(o: { returnTo?: string }): Promise<{ url: string; flow: SsoFlow | null }> {
    if (this.unreachable) throw this.unreachable;
    return { url: `https://sso.example/login?service=${encodeURIComponent(o.returnTo ?? '/')}`, flow: null };
  }

  async complete(o: { query: Record<string, string | undefined> }): Promise<Result<SsoIdentity, UnauthenticatedError>> {
    const ticket = o.query.ticket ?? '';
    const who = this.tickets.get(ticket);
    return who
      ? ok({ ...who, externalRef: ticket })
      : err(new UnauthenticatedError('AUTH.CAS_TICKET_REJECTED', 'the CAS server did not accept the ticket'));
  }

  logoutReference(body: Record<string, string | undefined>): Result<string | null, never> {
    return ok(body.logoutRequest ?? null);
  }

  /** The addresses the server's single-logout requests come from. */
  readonly logoutSenders = new Set(['10.0.0.53']);

  acceptsLogoutFrom(address: string): Promise<boolean> {
    return Promise.resolve(this.logoutSenders.has(address));
  }
}
