import { createHash } from 'node:crypto';
import { JOB_SCHEMA } from './boss-db.js';
import type { BatchPart } from '../knex/statement-batch.js';

/** A UUID (version 5 layout) derived from a key: the job of one cause always has the same id. */
export function jobId(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** A job as the hall enqueues it: a deterministic id makes enqueuing twice add nothing. */
/** Without `startAfter` a job is due at once by the database's clock. */
export interface NewJob {
  id: string;
  name: string;
  data: unknown;
  startAfter?: Date;
  expireSeconds?: number;
}

/*
 * Job rows are written by the statements below, not by pg-boss's client, so that they can join the
 * statement batch of the transaction that causes them (pg-boss wraps its own in a WITH, which
 * cannot be nested). They do what pg-boss 10.4's insert, cancel and resume do, with the queue's
 * retry, expiry and retention settings; a contract test compares the rows with the ones pg-boss's
 * own insert writes.
 */
const JOB = `${JOB_SCHEMA}.job`;
const INSERT_JOBS = `INSERT INTO ${JOB} (id, name, data, priority, start_after, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy, dead_letter)
  SELECT j.id, j.name, j.data, 0, coalesce(j.start_after, now()), coalesce(j.expire_seconds, q.expire_seconds, 900) * interval '1 second',
         coalesce(j.start_after, now()) + coalesce(q.retention_minutes * interval '1 minute', interval '14 days'),
         coalesce(q.retry_limit, 2),
         CASE WHEN coalesce(q.retry_backoff, false) THEN greatest(coalesce(q.retry_delay, 0), 1) ELSE coalesce(q.retry_delay, 0) END,
         coalesce(q.retry_backoff, false), q.policy, q.dead_letter
    FROM jsonb_to_recordset(?::jsonb) AS j(id uuid, name text, data jsonb, start_after timestamptz, expire_seconds int)
    JOIN ${JOB_SCHEMA}.queue q ON q.name = j.name
  ON CONFLICT DO NOTHING`;
const CANCEL_JOBS = `UPDATE ${JOB} SET completed_on = now(), state = 'cancelled' WHERE name = ? AND id = ANY(?::uuid[]) AND state < 'completed'`;
const RESUME_JOBS = `UPDATE ${JOB} SET completed_on = NULL, state = 'created' WHERE name = ? AND id = ANY(?::uuid[]) AND state = 'cancelled'`;

export function insertJobs(jobs: readonly NewJob[]): BatchPart {
  return {
    sql: INSERT_JOBS,
    bindings: [
      JSON.stringify(
        jobs.map((j) => ({
          id: j.id,
          name: j.name,
          data: j.data,
          start_after: j.startAfter?.toISOString() ?? null,
          expire_seconds: j.expireSeconds ?? null,
        })),
      ),
    ],
  };
}

/** Jobs not yet done stop (a cancelled job can be resumed). */
export const cancelJobs = (queue: string, ids: readonly string[]): BatchPart => ({
  sql: CANCEL_JOBS,
  bindings: [queue, [...ids]],
});

/** Cancelled jobs start again. */
export const resumeJobs = (queue: string, ids: readonly string[]): BatchPart => ({
  sql: RESUME_JOBS,
  bindings: [queue, [...ids]],
});
