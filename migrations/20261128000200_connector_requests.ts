import type { Knex } from 'knex';

/**
 * Calls to business-system connectors (转办 nodes bound to a department's system). Enqueued in the
 * transaction of the action that reached the node; sent afterwards by a dispatcher holding a lease,
 * retried with back-off, never inside a user's request.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('connector_requests', (t) => {
    t.uuid('id').primary();
    // deferred: a request may be queued before its new application row is written in the same transaction
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
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('connector_requests');
}
