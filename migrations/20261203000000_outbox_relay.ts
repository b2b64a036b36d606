import type { Knex } from 'knex';

/**
 * The outbox relay's bookkeeping: per sink, how far it has delivered, and the events it parked.
 *
 * Seq gaps: `seq` is a bigserial, and its values commit out of order (a transaction takes seq 5,
 * another takes 6 and commits first), so a relay that reads `seq > cursor` can pass over 5 for
 * good. Each outbox row therefore records the id of the transaction that wrote it (`txid`, xid8),
 * and a sink's cursor is a pair of PostgreSQL snapshots (as PgQ does it): `lo_snapshot`, every
 * transaction visible in it is delivered; `hi_snapshot`, the upper end of the interval being
 * delivered now (null between intervals), and `last_seq`, how far into that interval (by seq). A
 * row belongs to exactly one interval, the first snapshot its transaction is visible in, and every
 * transaction visible in a snapshot has committed before it was taken, so no row is read before it
 * can be seen, and none is passed over. Within an interval rows go in seq order; an event of an
 * aggregate is written at the commit of a transaction that holds the aggregate's row, so its seq
 * and its interval both follow the aggregate's own order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
  await knex.raw(`CREATE INDEX outbox_txid ON outbox (txid)`);
  await knex.raw(`CREATE INDEX outbox_occurred_at ON outbox (occurred_at)`);
  await knex.raw(`
    CREATE TABLE outbox_sinks (
      sink text PRIMARY KEY,
      lo_snapshot pg_snapshot NOT NULL DEFAULT '1:1:',
      hi_snapshot pg_snapshot,
      last_seq bigint NOT NULL DEFAULT 0,
      delivered_total bigint NOT NULL DEFAULT 0,
      last_delivered_at timestamptz,
      last_error text,
      last_error_at timestamptz
    )`);
  await knex.raw(`
    CREATE TABLE outbox_parked (
      sink text NOT NULL REFERENCES outbox_sinks (sink) ON DELETE CASCADE,
      seq bigint NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      reason text NOT NULL,
      parked_at timestamptz NOT NULL,
      retry_requested_at timestamptz,
      PRIMARY KEY (sink, seq)
    )`);
  await knex.raw(`CREATE INDEX outbox_parked_aggregate ON outbox_parked (sink, aggregate_type, aggregate_id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('outbox_parked');
  await knex.schema.dropTableIfExists('outbox_sinks');
  await knex.raw(`DROP INDEX IF EXISTS outbox_occurred_at`);
  await knex.raw(`DROP INDEX IF EXISTS outbox_txid`);
  await knex.raw(`ALTER TABLE outbox DROP COLUMN IF EXISTS txid`);
}
