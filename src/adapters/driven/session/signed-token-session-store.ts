import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { Session, SessionStore } from '../../../application/ports/session-store.port.js';
import { revokeSessions } from './session-revocation.js';

/** Activity is written to `last_seen_at` at most this often, not on every request. */
export const ACTIVITY_WRITE_MS = 60_000;

/** A live session and the activity its idle timeout counts from, as the database has them. */
export interface VerifiedSession {
  session: Session;
  lastSeenAt: Date;
}

/**
 * Sessions end at the absolute lifetime (SESSION_TTL_MINUTES) or after SESSION_IDLE_MINUTES without
 * activity, whichever comes first.
 * Tokens are `<session id>.<HMAC-SHA256 of it>`: a forged token is refused without a query, and a
 * session row lets logout, single logout and offboarding end a session before it expires (each of
 * them NOTIFYs, see session-revocation.ts).
 */
export class SignedTokenSessionStore implements SessionStore {
  constructor(
    private readonly knex: Knex,
    private readonly secret: string,
    private readonly ttlMinutes: number,
    private readonly idleMinutes: number,
  ) {}

  private sign(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url');
  }

  async open(o: {
    personId: string;
    provider: string;
    at: Date;
    externalRef?: string;
    ip?: string;
    client?: string;
  }): Promise<{ token: string; session: Session }> {
    const id = globalThis.crypto.randomUUID();
    const expiresAt = new Date(o.at.getTime() + this.ttlMinutes * 60_000);
    await this.knex('sessions').insert({
      id,
      person_id: o.personId,
      provider: o.provider,
      created_at: o.at,
      expires_at: expiresAt,
      last_seen_at: o.at,
      external_ref: o.externalRef ?? null,
      ip: o.ip ?? null,
      client: o.client ?? null,
    });
    return { token: `${id}.${this.sign(id)}`, session: { id, personId: o.personId, provider: o.provider, expiresAt } };
  }

  async resolve(token: string, at: Date): Promise<Session | null> {
    return (await this.verify(token, at))?.session ?? null;
  }

  /** As `resolve`, with the activity recorded for the session once this request counted. */
  async verify(token: string, at: Date): Promise<VerifiedSession | null> {
    const [id, mac, extra] = token.split('.');
    if (!id || !mac || extra !== undefined || !/^[0-9a-f-]{36}$/.test(id)) return null;
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const idleSince = new Date(at.getTime() - this.idleMinutes * 60_000);
    const row = (await this.knex('sessions')
      .where({ id })
      .whereNull('revoked_at')
      .where('expires_at', '>', at)
      .where('last_seen_at', '>', idleSince)
      .first()) as
      { id: string; person_id: string; provider: string; expires_at: Date; last_seen_at: Date } | undefined;
    if (!row) return null;
    let lastSeenAt = row.last_seen_at;
    // activity keeps an idle session alive; written at most once a minute, not on every request
    if (at.getTime() - lastSeenAt.getTime() > ACTIVITY_WRITE_MS) {
      await this.knex('sessions').where({ id }).update({ last_seen_at: at });
      lastSeenAt = at;
    }
    return {
      session: { id: row.id, personId: row.person_id, provider: row.provider, expiresAt: row.expires_at },
      lastSeenAt,
    };
  }

  async endByExternalRef(externalRef: string, at: Date): Promise<number> {
    return (await this.revoke({ externalRef }, at)).length;
  }

  async end(sessionId: string, at: Date): Promise<void> {
    await this.revoke({ id: sessionId }, at);
  }

  /** Ends a session, or those of one SSO sign-in, and returns their ids. */
  async revoke(by: { id: string } | { externalRef: string }, at: Date): Promise<string[]> {
    return revokeSessions(this.knex, by, at);
  }
}
