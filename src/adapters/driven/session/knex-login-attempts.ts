import type { Knex } from 'knex';
import type { LoginAttempts } from '../../../application/ports/login-attempts.port.js';

export class KnexLoginAttempts implements LoginAttempts {
  constructor(private readonly knex: Knex) {}

  async failuresSince(o: { username: string; ip: string; since: Date }): Promise<number> {
    // failures since the last success: a correct password resets the count
    const r = await this.knex.raw<{ rows: Array<{ n: number }> }>(
      `
      SELECT count(*)::int AS n FROM login_attempts
       WHERE username = :username AND ip = :ip AND NOT success AND at >= :since
         AND at > coalesce((SELECT max(at) FROM login_attempts WHERE username = :username AND ip = :ip AND success), '-infinity')`,
      { username: o.username, ip: o.ip, since: o.since },
    );
    return r.rows[0]!.n;
  }

  async record(a: { username: string; ip: string; success: boolean; at: Date }): Promise<void> {
    await this.knex('login_attempts').insert({ username: a.username, ip: a.ip, success: a.success, at: a.at });
  }
}
