import type { Knex } from 'knex';

// frozen with this migration; the job adapter names the same schema and queue
const JOB_SCHEMA = 'pgboss';
const QUEUE = 'connector-call';

/**
 * Calls to departments' business systems become durable jobs on the queue every other background
 * job uses (pg-boss): queued in the transaction of the action that reached the transfer node, sent
 * by whichever instance's worker takes the job, retried with exponential back-off (30 s doubling,
 * with jitter; 8 attempts), handed out again when a worker dies (expiry), and left failed —
 * visible to `hall jobs status`, sent round again by `hall jobs retry` — when every attempt failed.
 * Calls still pending in the hand-written queue move over; the table goes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`SELECT ${JOB_SCHEMA}.create_queue(?, ?::json)`, [
    QUEUE,
    JSON.stringify({
      policy: 'standard',
      retryLimit: 7,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: 120,
      retentionMinutes: 14 * 24 * 60,
    }),
  ]);
  await knex.raw(
    `
    INSERT INTO ${JOB_SCHEMA}.job (id, name, data, start_after, retry_count, retry_limit, retry_delay, retry_backoff, expire_in, keep_until, policy)
    SELECT r.id, q.name, jsonb_build_object('applicationId', r.application_id, 'node', r.node_key, 'activation', r.activation, 'request', r.payload || jsonb_build_object('requestId', r.id)),
           greatest(r.next_attempt_at, now()), least(r.attempts, q.retry_limit), q.retry_limit, q.retry_delay, q.retry_backoff,
           q.expire_seconds * interval '1 second', now() + q.retention_minutes * interval '1 minute', q.policy
      FROM connector_requests r JOIN ${JOB_SCHEMA}.queue q ON q.name = ?
     WHERE r.status = 'pending'
    ON CONFLICT DO NOTHING`,
    [QUEUE],
  );
  await knex.schema.dropTable('connector_requests');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('connector_requests', (t) => {
    t.uuid('id').primary();
    t.uuid('application_id').notNullable().references('applications.id').deferrable('deferred');
    t.text('node_key').notNullable();
    t.integer('activation').notNullable();
    t.text('connector').notNullable();
    t.jsonb('payload').notNullable();
    t.text('status').notNullable().checkIn(['pending', 'succeeded', 'abandoned']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    t.timestamp('leased_until', { useTz: true });
    t.text('last_error');
    t.text('reference');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['application_id', 'node_key', 'activation']);
  });
  await knex.raw(
    `CREATE INDEX connector_requests_due ON connector_requests (next_attempt_at) WHERE status = 'pending'`,
  );
  await knex.raw(`SELECT ${JOB_SCHEMA}.delete_queue(?)`, [QUEUE]);
}
