import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { Session, SessionStore } from '../../../application/ports/session-store.port.js';

/**
 * Tokens are `<session id>.<HMAC-SHA256 of it>`: a forged token is refused without a query, and a
 * session row lets logout (and, later, disabling a person) end a session before it expires.
 */
export class SignedTokenSessionStore implements SessionStore {
  constructor(private readonly knex: Knex, private readonly secret: string, private readonly ttlMinutes: number) {}

  private sign(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url');
  }

  async open(o: { personId: string; provider: string; at: Date }): Promise<{ token: string; session: Session }> {
    const id = globalThis.crypto.randomUUID();
    const expiresAt = new Date(o.at.getTime() + this.ttlMinutes * 60_000);
    await this.knex('sessions').insert({ id, person_id: o.personId, provider: o.provider, created_at: o.at, expires_at: expiresAt });
    return { token: `${id}.${this.sign(id)}`, session: { id, personId: o.personId, provider: o.provider, expiresAt } };
  }

  async resolve(token: string, at: Date): Promise<Session | null> {
    const [id, mac, extra] = token.split('.');
    if (!id || !mac || extra !== undefined || !/^[0-9a-f-]{36}$/.test(id)) return null;
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const row = await this.knex('sessions').where({ id }).whereNull('revoked_at').where('expires_at', '>', at).first() as
      { id: string; person_id: string; provider: string; expires_at: Date } | undefined;
    return row ? { id: row.id, personId: row.person_id, provider: row.provider, expiresAt: row.expires_at } : null;
  }

  async end(sessionId: string, at: Date): Promise<void> {
    await this.knex('sessions').where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: at });
  }
}
