import type { Knex } from 'knex';

/** Channel on which every instance hears the id of each session that ended before its time. */
export const SESSIONS_ENDED_CHANNEL = 'hall_sessions_ended';

const COLUMN = { id: 'id', externalRef: 'external_ref', personId: 'person_id' } as const;

/**
 * Ends the live sessions with that id, SSO reference or person and, in the same statement, NOTIFYs
 * each one's id on SESSIONS_ENDED_CHANNEL. PostgreSQL delivers the notifications when the
 * surrounding transaction commits (at once outside of one) and drops them if it rolls back, so an
 * instance that caches verified sessions forgets exactly those that really ended. Every way a
 * session is ended early goes through here. Returns the ids of the sessions ended.
 */
export async function revokeSessions(
  db: Knex | Knex.Transaction,
  by: { id: string } | { externalRef: string } | { personId: string },
  at: Date,
): Promise<string[]> {
  const [key, value] = Object.entries(by)[0] as [keyof typeof COLUMN, string];
  const result = (await db.raw(
    `WITH ended AS (UPDATE sessions SET revoked_at = ? WHERE ?? = ? AND revoked_at IS NULL RETURNING id)
     SELECT id, pg_notify(?, id::text) FROM ended`,
    [at, COLUMN[key], value, SESSIONS_ENDED_CHANNEL],
  )) as { rows: Array<{ id: string }> };
  return result.rows.map((r) => r.id);
}
