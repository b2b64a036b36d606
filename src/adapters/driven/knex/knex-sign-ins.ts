import type { Knex } from 'knex';
import type { ConcurrentUse, SignIn, SignInLog } from '../../../application/ports/sign-ins.port.js';

interface Row {
  id: string;
  person_id: string;
  provider: string;
  created_at: Date;
  ip: string | null;
  client: string | null;
  last_seen_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
}

const signIn = (r: Row): SignIn => ({
  sessionId: r.id,
  personId: r.person_id,
  provider: r.provider,
  at: r.created_at.toISOString(),
  ip: r.ip,
  client: r.client,
  lastSeenAt: (r.last_seen_at ?? r.created_at).toISOString(),
  endedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
  expiresAt: r.expires_at.toISOString(),
});

const COLUMNS = [
  'id',
  'person_id',
  'provider',
  'created_at',
  'ip',
  'client',
  'last_seen_at',
  'revoked_at',
  'expires_at',
];

/**
 * Sessions as sign-ins. A session is in use from its opening to its last activity; two sessions of
 * one person whose uses overlap, from different addresses, are a concurrent use.
 */
export class KnexSignInLog implements SignInLog {
  constructor(private readonly knex: Knex) {}

  async ofPerson(o: { personId: string; from: Date; to: Date; limit: number }): Promise<SignIn[]> {
    const rows = (await this.knex('sessions')
      .where({ person_id: o.personId })
      .where('created_at', '>=', o.from)
      .where('created_at', '<', o.to)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(o.limit)
      .select(COLUMNS)) as Row[];
    return rows.map(signIn);
  }

  async concurrent(o: { from: Date; to: Date; limit: number }): Promise<ConcurrentUse[]> {
    const cols = (alias: string) => COLUMNS.map((c) => `${alias}.${c} AS ${alias}_${c}`).join(', ');
    const used = (alias: string) =>
      `greatest(${alias}.created_at, coalesce(${alias}.last_seen_at, ${alias}.created_at))`;
    const { rows } = await this.knex.raw(
      `SELECT ${cols('a')}, ${cols('b')}
         FROM sessions a
         JOIN sessions b ON b.person_id = a.person_id AND b.id <> a.id
              AND (b.created_at, b.id) > (a.created_at, a.id)
              AND b.ip IS DISTINCT FROM a.ip AND a.ip IS NOT NULL AND b.ip IS NOT NULL
              AND b.created_at <= ${used('a')} AND a.created_at <= ${used('b')}
        WHERE a.created_at >= ? AND a.created_at < ?
        ORDER BY a.created_at DESC, a.id, b.created_at
        LIMIT ?`,
      [o.from, o.to, o.limit],
    );
    const side = (r: Record<string, unknown>, alias: string) =>
      signIn(Object.fromEntries(COLUMNS.map((c) => [c, r[`${alias}_${c}`]])) as unknown as Row);
    return (rows as Array<Record<string, unknown>>).map((r) => ({
      personId: r.a_person_id as string,
      first: side(r, 'a'),
      second: side(r, 'b'),
    }));
  }
}
