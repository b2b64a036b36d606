import type { Knex } from 'knex';

/**
 * The audit log becomes a tamper-evident Merkle tree log (docs/audit.md).
 *
 * - The old bigserial `seq` becomes `pos`: the insertion number (primary key, what the API pages on).
 *   Its values have gaps (rolled-back transactions) and are not in commit order.
 * - A new `seq` is the entry's place in the tree (1, 2, 3, … without gaps): entries are written with
 *   a NULL seq and hash, and the sequencer gives each committed entry the next seq, its leaf hash
 *   (`hash`) and the leaf hash of the entry before it (`prev_hash`) afterwards, in commit order.
 *   Existing entries are sequenced by the sequencer's first run, in `pos` order.
 * - The table is append-only at the database: a trigger refuses DELETE, TRUNCATE and any UPDATE but
 *   the sequencer's one (seq, hash and prev_hash of a row whose seq is still NULL, nothing else), and
 *   an INSERT that brings its own seq or hash.
 * - Signed checkpoints of the tree are kept in `audit_checkpoints`, append-only as well, published
 *   by a job of the `audit-checkpoint` queue (and by `hall audit checkpoint`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE audit_log RENAME COLUMN seq TO pos');
  await knex.raw('ALTER TABLE audit_log ADD COLUMN seq bigint');
  await knex.raw('ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq)');
  await knex.raw('CREATE INDEX audit_log_unsequenced ON audit_log (pos) WHERE seq IS NULL');
  // the filters of GET /audit-entries, newest first: each serves its filter in pos order
  await knex.raw('DROP INDEX audit_log_actor_id_index');
  await knex.raw('CREATE INDEX audit_log_by_actor ON audit_log (actor_id, pos)');
  await knex.raw('CREATE INDEX audit_log_by_action ON audit_log (action, pos)');
  await knex.raw('CREATE INDEX audit_log_by_time ON audit_log (occurred_at)');

  await knex.raw(`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.seq IS NOT NULL OR NEW.hash IS NOT NULL OR NEW.prev_hash IS NOT NULL THEN
          RAISE EXCEPTION 'audit_log: an entry is written without seq or hash; the sequencer assigns them'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END IF;
      IF TG_OP = 'UPDATE' THEN
        IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
           AND (to_jsonb(NEW) - ARRAY['seq', 'hash', 'prev_hash']) = (to_jsonb(OLD) - ARRAY['seq', 'hash', 'prev_hash']) THEN
          RETURN NEW;
        END IF;
      END IF;
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
  await knex.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

  await knex.raw(`
    CREATE TABLE audit_checkpoints (
      id bigserial PRIMARY KEY,
      tree_size bigint NOT NULL CHECK (tree_size >= 0),
      root_hash text NOT NULL,
      key_id text NOT NULL,
      note text NOT NULL,
      published_at timestamptz NOT NULL
    )`);
  await knex.raw('CREATE INDEX audit_checkpoints_by_size ON audit_checkpoints (tree_size, id)');
  await knex.raw(`
    CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_checkpoints is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw(`CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()`);
  await knex.raw(`CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()`);

  // the scheduled checkpoint: a job on its own queue (queue name frozen with this migration)
  await knex.raw(`SELECT pgboss.create_queue(?, ?::json)`, [
    'audit-checkpoint',
    JSON.stringify({
      policy: 'standard',
      retryLimit: 3,
      retryDelay: 60,
      expireInSeconds: 600,
      retentionMinutes: 7 * 24 * 60,
    }),
  ]);

  // evidence bundles for the IT Center: whoever reads the audit log may export its evidence
  await knex('casbin_rule').insert(
    ['auditor', 'it-office'].map((role) => ({ ptype: 'p', v0: role, v1: '*', v2: 'audit', v3: 'export' })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v2: 'audit', v3: 'export' }).delete();
  await knex.raw(`SELECT pgboss.delete_queue(?)`, ['audit-checkpoint']);
  await knex.raw('DROP TABLE audit_checkpoints');
  await knex.raw('DROP FUNCTION audit_checkpoints_append_only()');
  await knex.raw('DROP TRIGGER audit_log_no_truncate ON audit_log');
  await knex.raw('DROP TRIGGER audit_log_append_only ON audit_log');
  await knex.raw('DROP FUNCTION audit_log_append_only()');
  await knex.raw('DROP INDEX audit_log_by_time');
  await knex.raw('DROP INDEX audit_log_by_action');
  await knex.raw('DROP INDEX audit_log_by_actor');
  await knex.raw('CREATE INDEX audit_log_actor_id_index ON audit_log (actor_id)');
  await knex.raw('DROP INDEX audit_log_unsequenced');
  await knex.raw('ALTER TABLE audit_log DROP COLUMN seq');
  await knex.raw('UPDATE audit_log SET hash = NULL, prev_hash = NULL');
  await knex.raw('ALTER TABLE audit_log RENAME COLUMN pos TO seq');
}
