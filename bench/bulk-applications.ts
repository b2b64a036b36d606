import type pg from 'pg';

/** 600,000 applications a year: the gap between two consecutive applications. */
export const SPACING_MS = 52_560;
/** Share of a stage's applications still in progress (the newest ones), each with one open task. */
export const OPEN_SHARE = 0.03;
/**
 * At most this many in progress whatever the stage: the backlog is what arrived in the last few
 * weeks (600,000 a year is ~1,650 a day), not a share of every year behind it.
 */
export const OPEN_MAX = 30_000;
/** The demo item (launched through the real use cases) every unit's bench item is copied from: two steps, both its unit's handler pool. */
export const TEMPLATE_ITEM = 'JW-ZDZM';

export interface BulkShape {
  /** Units in all (the demo ones included); bench units are added up to this. */
  units: number;
  /** Handlers per unit (people holding the handler role there); every tenth also holds it in the next unit. */
  handlersPerUnit: number;
  applicants: number;
}

export const handlerId = (n: number) => `H${String(n).padStart(5, '0')}`;
export const applicantId = (n: number) => `S${String(n).padStart(7, '0')}`;

/**
 * Session-local helpers (the load runs on one connection): a uuid of version-4 shape derived from a
 * text, so tasks and history rows name their application without reading it back; the state of
 * application i; the handler of unit u who handles application i.
 */
const FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION pg_temp.bu(t text) RETURNS uuid IMMUTABLE LANGUAGE sql AS
    $$ SELECT overlay(overlay(md5(t) placing '4' from 13) placing '8' from 17)::uuid $$`,
  `CREATE OR REPLACE FUNCTION pg_temp.bstate(i bigint, open_from bigint) RETURNS text IMMUTABLE LANGUAGE sql AS
    $$ SELECT CASE WHEN i > open_from THEN 'in_progress' WHEN (i * 37) % 100 < 3 THEN 'rejected' WHEN (i * 37) % 100 < 5 THEN 'withdrawn'
                   WHEN (i * 37) % 100 < 6 THEN 'cancelled' ELSE 'completed' END $$`,
];

/** Units, handlers with their role rows, applicants, and one online item per unit copied from the template. */
export async function prepareOrganisation(db: pg.ClientBase, shape: BulkShape): Promise<void> {
  const have = Number((await db.query('SELECT count(*) AS n FROM units')).rows[0].n);
  await db.query(
    `INSERT INTO units (key, code, name, name_en, kind)
    SELECT 'bench-' || lpad(n::text, 3, '0'), 'B' || lpad(n::text, 3, '0'), '基准单位' || n, 'Bench unit ' || n, CASE WHEN n % 2 = 1 THEN 'college' ELSE 'office' END
      FROM generate_series(1, $1::int) n`,
    [Math.max(0, shape.units - have)],
  );
  await session(db);
  const handlers = shape.units * shape.handlersPerUnit;
  await db.query(
    `INSERT INTO people (id, name, type, unit_key, status)
    SELECT 'H' || lpad(h::text, 5, '0'), '办理人' || h, 'staff', u.key, 'active' FROM generate_series(1, $1::int) h JOIN bunits u ON u.n = (h - 1) % $2`,
    [handlers, shape.units],
  );
  await db.query(
    `INSERT INTO casbin_rule (ptype, v0, v1, v2)
    SELECT 'g', 'H' || lpad(h::text, 5, '0'), 'handler', u.key FROM generate_series(1, $1::int) h JOIN bunits u ON u.n = (h - 1) % $2
    UNION ALL
    SELECT 'g', 'H' || lpad(h::text, 5, '0'), 'handler', u.key FROM generate_series(1, $1::int) h JOIN bunits u ON u.n = h % $2 WHERE h % 10 = 1`,
    [handlers, shape.units],
  );
  const colleges = Number((await db.query('SELECT count(*) AS n FROM bcolleges')).rows[0].n);
  await db.query(
    `INSERT INTO people (id, name, type, unit_key, status)
    SELECT 'S' || lpad(a::text, 7, '0'), '学生' || a, 'student', c.key, 'active' FROM generate_series(1, $1::int) a JOIN bcolleges c ON c.n = a % $2`,
    [shape.applicants, colleges],
  );
  const template = (
    await db.query(`SELECT id, owning_unit FROM service_items WHERE code = $1 AND state = 'online'`, [TEMPLATE_ITEM])
  ).rows[0] as { id: string; owning_unit: string } | undefined;
  if (!template) throw new Error(`the template item ${TEMPLATE_ITEM} is not online: launch the demo items first`);
  await db.query(
    `INSERT INTO service_items (id, code, name, owning_unit, involved_units, description, offline_procedure, state, approvals, online_version_id,
      lock_version, created_by, created_at, updated_at)
    SELECT pg_temp.bu('i' || u.key), 'B-' || u.code, s.name || '·' || u.code, u.key, ARRAY[u.key], s.description, s.offline_procedure, 'online', s.approvals,
           pg_temp.bu('v' || u.key), 1, s.created_by, s.created_at, s.updated_at
      FROM bunits u, service_items s WHERE s.id = $1`,
    [template.id],
  );
  await db.query(
    `INSERT INTO service_versions (id, item_id, number, state, definition, confirmations, lock_version, created_by, created_at, updated_at, launched_at)
    SELECT pg_temp.bu('v' || u.key), pg_temp.bu('i' || u.key), 1, 'online', replace(v.definition::text, '"' || $2 || '"', '"' || u.key || '"')::jsonb,
           v.confirmations, 1, v.created_by, v.created_at, v.updated_at, v.launched_at
      FROM bunits u, service_versions v WHERE v.item_id = $1 AND v.state = 'online'`,
    [template.id, template.owning_unit],
  );
}

/** The temp tables (numbered units, colleges, applicants) and functions the load reads, as the tables now stand. */
export async function session(db: pg.ClientBase): Promise<void> {
  await db.query('DROP TABLE IF EXISTS pg_temp.bunits, pg_temp.bcolleges, pg_temp.bapplicants');
  await db.query(
    `CREATE TEMP TABLE bunits AS SELECT key, code, (row_number() OVER (ORDER BY key) - 1)::int AS n FROM units`,
  );
  await db.query(
    `CREATE TEMP TABLE bcolleges AS SELECT key, (row_number() OVER (ORDER BY key) - 1)::int AS n FROM units WHERE kind = 'college'`,
  );
  await db.query(
    `CREATE TEMP TABLE bapplicants AS SELECT id, unit_key, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM people WHERE id LIKE 'S_______'`,
  );
  for (const f of FUNCTIONS) await db.query(f);
}

export interface Stage {
  /** Applications 1..from exist; from+1..to are added. */
  from: number;
  to: number;
  /** Instant of application 0: application i was submitted at t0 + i × SPACING_MS. */
  t0: Date;
  /** Instant the due dates of open tasks are counted from (some past, most ahead). */
  now: Date;
  units: number;
  handlersPerUnit: number;
}

/**
 * Time passes: what was in progress has been completed, then applications from+1..to arrive; the
 * newest OPEN_SHARE of them are in progress, half at the review step, half at the last step, their
 * open task unclaimed in the unit's handler pool (60 %) or held by one of its handlers, due from
 * 20 hours ago to 3 days ahead. The rest are completed (94 %), rejected, withdrawn or cancelled, with
 * their done or cancelled tasks; every application has 6–10 history entries. Set-based, one
 * statement per table, with the foreign-key triggers off for the session (every key is generated
 * consistent) — run it between dropIndexes and restoreIndexes for big stages.
 */
export async function addApplications(db: pg.ClientBase, s: Stage): Promise<void> {
  await session(db);
  const openFrom = s.to - Math.min(OPEN_MAX, Math.max(1, Math.round((s.to - s.from) * OPEN_SHARE)));
  const applicants = Number((await db.query('SELECT count(*) AS n FROM bapplicants')).rows[0].n);
  await db.query(`SET session_replication_role = replica`);
  try {
    await db.query(
      `UPDATE applications SET state = 'completed', active_node = NULL, updated_at = $1 WHERE state = 'in_progress'`,
      [s.now],
    );
    await db.query(
      `UPDATE tasks SET status = 'done', outcome = 'approved', assignee = coalesce(assignee, $1), acted_by = coalesce(assignee, $1), acted_at = $2
      WHERE status = 'open'`,
      [handlerId(1), s.now],
    );
    // i, its unit (the first unit, the busiest, has an eighth of them), its applicant (the first one
    // applies for one in 500: pages stay full at every scale), its submission instant, state and handler
    // (picked by a multiplicative hash, so that whether a task is pooled and who holds it do not follow i's residues)
    const each = `FROM generate_series($1::bigint + 1, $2::bigint) i
      CROSS JOIN LATERAL (SELECT CASE WHEN i % 8 = 0 THEN 0 ELSE (i * 31) % $4 END AS un, CASE WHEN i % 500 = 0 THEN 0 ELSE i % $5 END AS pn) w
      JOIN bunits u ON u.n = w.un
      JOIN bapplicants p ON p.n = w.pn
      CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', $3::timestamptz + i * interval '${SPACING_MS} milliseconds') AS at,
                                 pg_temp.bstate(i, $6) AS state,
                                 'H' || lpad((w.un + 1 + $4 * ((i * 2654435761 / 128) % $7))::text, 5, '0') AS handler,
                                 (i * 13) % 10 < 6 AS pooled) x`;
    const params = [s.from, s.to, s.t0, s.units, applicants, openFrom, s.handlersPerUnit];
    await db.query(
      `INSERT INTO applications (id, case_number, item_id, version_id, owning_unit, applicant_id, applicant, form, state, active_node,
        activations, passed_nodes, copied_to, last_seq, lock_version, created_at, updated_at)
      SELECT pg_temp.bu('a' || i), '2026-' || u.code || '-' || lpad(i::text, 8, '0'), pg_temp.bu('i' || u.key), pg_temp.bu('v' || u.key), u.key, p.id,
             jsonb_build_object('id', p.id, 'type', 'student', 'unit', p.unit_key),
             jsonb_build_object('reason', '申请开具在读证明，用于办理签证 ' || i, 'copies', i % 3 + 1, 'language', CASE WHEN i % 2 = 0 THEN 'zh' ELSE 'en' END),
             x.state, CASE WHEN x.state = 'in_progress' THEN CASE WHEN i % 2 = 0 THEN 'review' ELSE 'done' END END,
             CASE WHEN x.state = 'in_progress' AND i % 2 = 0 THEN '{"review":1}' ELSE '{"review":1,"done":1}' END::jsonb,
             CASE WHEN x.state = 'completed' THEN '["apply","review","done"]' ELSE '["apply"]' END::jsonb, '[]'::jsonb,
             6 + i % 5, 1, x.at, x.at + interval '2 hours'
      ${each}`,
      params,
    );
    // the review task of every application; the last step's task where it got there
    await db.query(
      `INSERT INTO tasks (id, application_id, owning_unit, node_key, activation, assignee, candidate_role, candidate_unit, status, outcome,
        "order", created_at, acted_by, acted_at, due_at)
      SELECT pg_temp.bu(k.node || i), pg_temp.bu('a' || i), u.key, k.node, 1, CASE WHEN k.status = 'cancelled' OR (k.status = 'open' AND x.pooled) THEN NULL ELSE x.handler END,
             'handler', u.key, k.status, CASE WHEN k.status = 'done' THEN CASE WHEN x.state = 'rejected' THEN 'rejected' ELSE 'approved' END END,
             0, x.at + k.after, CASE WHEN k.status = 'done' THEN x.handler END, CASE WHEN k.status = 'done' THEN x.at + k.after + interval '1 hour' END,
             CASE WHEN k.status = 'open' THEN date_trunc('milliseconds', $8::timestamptz + ((i % 93) - 20) * interval '1 hour') ELSE x.at + k.after + interval '3 days' END
      ${each}
      CROSS JOIN LATERAL (VALUES
        ('review', interval '1 minute', CASE WHEN x.state IN ('withdrawn', 'cancelled') THEN 'cancelled' WHEN x.state = 'in_progress' AND i % 2 = 0 THEN 'open' ELSE 'done' END),
        ('done', interval '90 minutes', CASE WHEN x.state = 'completed' THEN 'done' WHEN x.state = 'in_progress' AND i % 2 = 1 THEN 'open' END)
      ) AS k(node, after, status)
      WHERE k.status IS NOT NULL`,
      [...params, s.now],
    );
    await db.query(
      `INSERT INTO application_history (application_id, seq, at, actor, action, node, task_id, comment, private)
      SELECT pg_temp.bu('a' || i), e, x.at + e * interval '7 minutes', CASE WHEN e = 1 THEN p.id ELSE x.handler END,
             (ARRAY['submitted', 'node-activated', 'claimed', 'approved', 'node-passed', 'node-activated', 'claimed', 'commented', 'approved', 'completed'])[e],
             CASE WHEN e BETWEEN 2 AND 5 THEN 'review' WHEN e > 5 THEN 'done' END,
             CASE WHEN e IN (3, 4) THEN pg_temp.bu('review' || i) WHEN e IN (7, 9) THEN pg_temp.bu('done' || i) END,
             CASE WHEN e IN (4, 8) THEN '材料齐全，同意' END, e = 8
      ${each}
      CROSS JOIN LATERAL generate_series(1, (6 + i % 5)::int) e`,
      params,
    );
  } finally {
    await db.query(`SET session_replication_role = origin`);
  }
}

interface SavedIndex {
  table: string;
  name: string;
  create: string;
  constraint: boolean;
}

const LOADED = ['applications', 'tasks', 'application_history'];

/**
 * Drops the indexes of the loaded tables (and the history's primary key) so a big stage inserts into
 * bare heaps; restoreIndexes builds each again from its saved definition, sorted once.
 */
export async function dropIndexes(db: pg.ClientBase): Promise<SavedIndex[]> {
  const rows = (
    await db.query(
      `
    SELECT c.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS def, con.conname, pg_get_constraintdef(con.oid) AS condef
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
      LEFT JOIN pg_constraint con ON con.conindid = i.oid AND con.conrelid = c.oid
     WHERE c.relname = ANY($1) AND c.relnamespace = 'public'::regnamespace`,
      [LOADED],
    )
  ).rows as Array<{ table: string; name: string; def: string; conname: string | null; condef: string | null }>;
  const saved: SavedIndex[] = [];
  for (const r of rows) {
    if (r.conname && r.table !== 'application_history') continue;
    saved.push(
      r.conname
        ? {
            table: r.table,
            name: r.conname,
            create: `ALTER TABLE ${r.table} ADD CONSTRAINT ${r.conname} ${r.condef}`,
            constraint: true,
          }
        : { table: r.table, name: r.name, create: r.def, constraint: false },
    );
    await db.query(r.conname ? `ALTER TABLE ${r.table} DROP CONSTRAINT ${r.conname}` : `DROP INDEX ${r.name}`);
  }
  return saved;
}

export async function restoreIndexes(db: pg.ClientBase, saved: SavedIndex[]): Promise<void> {
  for (const s of saved) await db.query(s.create);
}

/** Visibility map and statistics, so index-only scans skip the heap and the planner sees the sizes. */
export async function vacuumAnalyze(db: pg.ClientBase): Promise<void> {
  for (const t of [...LOADED, 'people', 'units', 'service_items', 'service_versions', 'casbin_rule', 'audit_log'])
    await db.query(`VACUUM (ANALYZE) ${t}`);
}
