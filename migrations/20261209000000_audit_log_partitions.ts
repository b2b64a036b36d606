import type { Knex } from 'knex';

/**
 * The audit log is partitioned by month, so that a month older than the retention (AUDIT_RETENTION_MONTHS,
 * at least 6) can be archived whole and its partition dropped (docs/audit.md, "Retention and monthly
 * partitions").
 *
 * - `audit_log` becomes `PARTITION BY RANGE (occurred_at)`, one partition a month named
 *   `audit_log_yYYYYmMM`. A month is a calendar month of China Standard Time (UTC+8, no daylight
 *   saving): 2026-11 is [2026-10-31T16:00Z, 2026-11-30T16:00Z). A DEFAULT partition,
 *   `audit_log_default`, takes any entry outside the months created.
 * - Every column and row is kept (copied in pos order, pos values unchanged, the bigserial sequence
 *   continuing). Unique constraints of a partitioned table include the partition key: the primary key
 *   is (pos, occurred_at), and id and seq are unique with occurred_at. seq stays unique and gap-free
 *   because the one sequencer (under its advisory lock) gives it.
 * - The indexes become partitioned indexes; each partition's index is named after its partition and
 *   the parent index (`audit_log_y2026m11_by_entity` for `audit_log_by_entity`).
 * - The append-only row trigger is declared on the partitioned table, so every partition, present or
 *   created later, has it (a DELETE or UPDATE on a partition directly is refused as well). TRUNCATE
 *   triggers are per table: the parent has one, and `audit_log_create_partition(month)`, the one way
 *   partitions are created (by this migration and by the job worker's daily maintenance), gives each
 *   partition its own.
 * - `audit_archives` records every month archived (append-only); `it-office` may archive.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE audit_log RENAME TO audit_log_unpartitioned');
  await knex.raw('ALTER SEQUENCE audit_log_seq_seq OWNED BY NONE');
  await knex.raw(`
    CREATE TABLE audit_log (
      pos bigint NOT NULL DEFAULT nextval('audit_log_seq_seq'),
      id uuid NOT NULL,
      occurred_at timestamptz NOT NULL,
      actor_id text NOT NULL,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      unit_key text,
      before jsonb,
      after jsonb,
      request_id text,
      prev_hash text,
      hash text,
      seq bigint
    ) PARTITION BY RANGE (occurred_at)`);

  // a partition's TRUNCATE trigger, and its indexes named after it and their parent index
  await knex.raw(`
    CREATE FUNCTION audit_log_guard_partition(part regclass) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      ix record;
      wanted text;
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'audit_log_no_truncate') THEN
        EXECUTE format('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON %s
          FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()', part);
      END IF;
      FOR ix IN
        SELECT c.relname AS child, p.relname AS parent
          FROM pg_index x
          JOIN pg_class c ON c.oid = x.indexrelid
          JOIN pg_inherits i ON i.inhrelid = c.oid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE x.indrelid = part
      LOOP
        wanted := (SELECT relname FROM pg_class WHERE oid = part) || substr(ix.parent, length('audit_log') + 1);
        IF ix.child <> wanted THEN
          EXECUTE format('ALTER INDEX %I RENAME TO %I', ix.child, wanted);
        END IF;
      END LOOP;
    END $$`);
  // the partition of the month (UTC+8) that contains the given day, created when absent; its name.
  // It runs as the tables' owner (SECURITY DEFINER): the hall's role, which does not own audit_log,
  // creates the coming months' partitions through it, and can do nothing else with it.
  await knex.raw(`
    CREATE FUNCTION audit_log_create_partition(day date) RETURNS text LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
      first_day date := date_trunc('month', day)::date;
      part text := 'audit_log_' || to_char(first_day, '"y"YYYY"m"MM');
      lo timestamptz := (first_day::timestamp - interval '8 hours') AT TIME ZONE 'UTC';
      hi timestamptz := ((first_day + interval '1 month')::timestamp - interval '8 hours') AT TIME ZONE 'UTC';
    BEGIN
      IF to_regclass(part) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
      END IF;
      PERFORM audit_log_guard_partition(part::regclass);
      RETURN part;
    END $$`);

  // a partition for every month with entries, for this month and the next two, and the default
  await knex.raw(`
    SELECT audit_log_create_partition(m::date) FROM (
      SELECT DISTINCT date_trunc('month', (occurred_at AT TIME ZONE 'UTC') + interval '8 hours') AS m
        FROM audit_log_unpartitioned
      UNION
      SELECT date_trunc('month', (now() AT TIME ZONE 'UTC') + interval '8 hours') + k * interval '1 month'
        FROM generate_series(0, 2) k
    ) months ORDER BY m`);
  await knex.raw('CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT');

  const columns =
    'pos, id, occurred_at, actor_id, action, entity_type, entity_id, unit_key, before, after, request_id, prev_hash, hash, seq';
  await knex.raw(`INSERT INTO audit_log (${columns}) SELECT ${columns} FROM audit_log_unpartitioned ORDER BY pos`);
  await knex.raw('DROP TABLE audit_log_unpartitioned');
  await knex.raw('ALTER SEQUENCE audit_log_seq_seq OWNED BY audit_log.pos');

  await knex.raw('ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (pos, occurred_at)');
  await knex.raw('ALTER TABLE audit_log ADD CONSTRAINT audit_log_id_unique UNIQUE (id, occurred_at)');
  await knex.raw('ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq, occurred_at)');
  await knex.raw('CREATE INDEX audit_log_unsequenced ON audit_log (pos) WHERE seq IS NULL');
  await knex.raw('CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_id, pos)');
  await knex.raw('CREATE INDEX audit_log_by_type ON audit_log (entity_type, pos)');
  await knex.raw('CREATE INDEX audit_log_by_actor ON audit_log (actor_id, pos)');
  await knex.raw('CREATE INDEX audit_log_by_action ON audit_log (action, pos)');
  await knex.raw('CREATE INDEX audit_log_by_time ON audit_log (occurred_at)');
  await knex.raw(
    `SELECT audit_log_guard_partition(inhrelid::regclass) FROM pg_inherits WHERE inhparent = 'audit_log'::regclass`,
  );

  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
  await knex.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

  await knex.raw(`
    CREATE TABLE audit_archives (
      id bigserial PRIMARY KEY,
      month text NOT NULL UNIQUE CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      first_seq bigint NOT NULL CHECK (first_seq >= 1),
      last_seq bigint NOT NULL CHECK (last_seq >= first_seq - 1),
      entries integer NOT NULL CHECK (entries >= 0),
      rows_removed integer NOT NULL CHECK (rows_removed >= 0),
      frontier jsonb NOT NULL,
      last_hash text,
      file_name text NOT NULL,
      file_sha256 text NOT NULL,
      checkpoint_id bigint NOT NULL REFERENCES audit_checkpoints (id),
      archived_by text NOT NULL,
      archived_at timestamptz NOT NULL
    )`);
  await knex.raw('CREATE INDEX audit_archives_by_seq ON audit_archives (last_seq)');
  await knex.raw(`
    CREATE FUNCTION audit_archives_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_archives is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw(`CREATE TRIGGER audit_archives_append_only BEFORE UPDATE OR DELETE ON audit_archives
    FOR EACH ROW EXECUTE FUNCTION audit_archives_append_only()`);
  await knex.raw(`CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives
    FOR EACH STATEMENT EXECUTE FUNCTION audit_archives_append_only()`);

  await knex('casbin_rule').insert({ ptype: 'p', v0: 'it-office', v1: '*', v2: 'audit', v3: 'archive' });
}

export async function down(knex: Knex): Promise<void> {
  await knex('casbin_rule').where({ ptype: 'p', v2: 'audit', v3: 'archive' }).delete();
  await knex.raw('DROP TABLE audit_archives');
  await knex.raw('DROP FUNCTION audit_archives_append_only()');

  await knex.raw('ALTER TABLE audit_log RENAME TO audit_log_partitioned');
  await knex.raw('ALTER SEQUENCE audit_log_seq_seq OWNED BY NONE');
  await knex.raw(`
    CREATE TABLE audit_log (
      pos bigint NOT NULL DEFAULT nextval('audit_log_seq_seq'),
      id uuid NOT NULL,
      occurred_at timestamptz NOT NULL,
      actor_id text NOT NULL,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      unit_key text,
      before jsonb,
      after jsonb,
      request_id text,
      prev_hash text,
      hash text,
      seq bigint
    )`);
  const columns =
    'pos, id, occurred_at, actor_id, action, entity_type, entity_id, unit_key, before, after, request_id, prev_hash, hash, seq';
  await knex.raw(`INSERT INTO audit_log (${columns}) SELECT ${columns} FROM audit_log_partitioned ORDER BY pos`);
  await knex.raw('DROP TABLE audit_log_partitioned');
  await knex.raw('DROP FUNCTION audit_log_create_partition(date)');
  await knex.raw('DROP FUNCTION audit_log_guard_partition(regclass)');
  await knex.raw('ALTER SEQUENCE audit_log_seq_seq OWNED BY audit_log.pos');
  await knex.raw('ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (pos)');
  await knex.raw('ALTER TABLE audit_log ADD CONSTRAINT audit_log_id_unique UNIQUE (id)');
  await knex.raw('ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq)');
  await knex.raw('CREATE INDEX audit_log_unsequenced ON audit_log (pos) WHERE seq IS NULL');
  await knex.raw('CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_id, pos)');
  await knex.raw('CREATE INDEX audit_log_by_type ON audit_log (entity_type, pos)');
  await knex.raw('CREATE INDEX audit_log_by_actor ON audit_log (actor_id, pos)');
  await knex.raw('CREATE INDEX audit_log_by_action ON audit_log (action, pos)');
  await knex.raw('CREATE INDEX audit_log_by_time ON audit_log (occurred_at)');
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
  await knex.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
}
