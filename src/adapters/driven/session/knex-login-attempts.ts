import type { Knex } from 'knex';
import type { LoginAttempts } from '../../../application/ports/login-attempts.port.js';

export class KnexLoginAttempts implements LoginAttempts {
  constructor(private readonly knex: Knex) {}

  async recentFailures(o: {
    username: string;
    ip: string;
    since: Date;
  }): Promise<{ ofAccount: number; fromAddress: number }> {
    // an account's failures count since its last success, from whichever address
    const r = await this.knex.raw<{ rows: Array<{ of_account: number; from_address: number }> }>(
      `
      SELECT
        (SELECT count(*)::int FROM login_attempts
          WHERE username = :username AND NOT success AND at >= :since
            AND at > coalesce((SELECT max(at) FROM login_attempts WHERE username = :username AND success), '-infinity')
        ) AS of_account,
        (SELECT count(*)::int FROM login_attempts WHERE ip = :ip AND NOT success AND at >= :since) AS from_address`,
      { username: o.username, ip: o.ip, since: o.since },
    );
    const row = r.rows[0]!;
    return { ofAccount: row.of_account, fromAddress: row.from_address };
  }

  async record(a: { username: string; ip: string; success: boolean; at: Date }): Promise<void> {
    await this.knex('login_attempts').insert({ username: a.username, ip: a.ip, success: a.success, at: a.at });
  }
}
