import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildContainer, disposeContainer } from '../src/adapters/composition/container.js';
import { seedDemoOrganisation } from '../src/adapters/composition/demo.js';
import { startEmbeddedDatabase } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import { FIGURES_SQL } from '../src/adapters/driven/knex/knex-evaluation-figures.js';
import { createKnex } from '../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../src/adapters/driven/knex/migration-source.js';
import { evaluationWindow, workingDayIndex } from '../src/domain/evaluation/annual-evaluation.js';
import { benchConfig } from './bench-config.js';

const APPLICATIONS = Number(process.env.BENCH_EVAL_APPLICATIONS ?? 1_000_000);
const ITEMS = Number(process.env.BENCH_EVAL_ITEMS ?? 300);
const TARGET_SECONDS = 10;
const log = (m: string) => process.stderr.write(`[eval] ${m}\n`);

/**
 * The annual evaluation export at scale, on its own embedded PostgreSQL: APPLICATIONS applications
 * submitted across 2026 (and a slice in 2025 and 2027 that must not count) over ITEMS items of the
 * demo units, 2–3 tasks each (about 1 in 8 acted late), urges on about 1 in 10, ratings on most
 * completed ones, follow-ups on the bad ratings — all generated in SQL, then ANALYZEd. Timed: the
 * export of 2026 (figures + XLSX + filing) through the use case, as the API and CLI run it. The
 * figures query is then run under EXPLAIN ANALYZE to say where the time goes.
 */
export async function runEvalBench(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-eval-'));
  await chmod(dataDir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir });
  try {
    const knex = createKnex(db.url, 2);
    try {
      await migrateLatest(knex);
      await seedDemoOrganisation(knex);
      const started = Date.now();
      await generate(knex);
      log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await knex.destroy();
    }
    const now = new Date('2027-02-01T02:00:00Z');
    const container = await buildContainer(
      benchConfig(db.url, dataDir),
      () => ({ clock: { now: () => now } }),
      pino({ level: 'silent' }),
    );
    try {
      const uc = container.useCases.annualEvaluation;
      const actor = { personId: 'T0001', requestId: 'bench-eval' };
      // one warm-up on a small scope (plans, the calendar, exceljs's modules), not timed
      await uc.figures({ actor, year: 2026, unitKey: 'finance' });
      const t0 = performance.now();
      const figures = await uc.figures({ actor, year: 2026 });
      const t1 = performance.now();
      const exported = await uc.export({ actor, year: 2026, format: 'xlsx' });
      const t2 = performance.now();
      if (!figures.ok || !exported.ok) throw new Error('the evaluation was refused');
      const seconds = (t2 - t1) / 1000;
      log(`figures alone ${((t1 - t0) / 1000).toFixed(2)} s; export (figures + XLSX + filing) ${seconds.toFixed(2)} s`);

      const w = evaluationWindow(2026, now);
      const cal = container.ports.calendar;
      const index = workingDayIndex(cal, cal.civilDate(w.from), cal.civilDate(new Date(w.asOf.getTime() - 1)));
      const plan = (await container.knex.raw(`EXPLAIN (ANALYZE, TIMING ON) ${FIGURES_SQL}`, {
        dates: index.dates,
        idx: index.index,
        from: w.from,
        asOf: w.asOf,
        unit: null,
      })) as { rows: Array<{ 'QUERY PLAN': string }> };
      const lines = plan.rows.map((r) => r['QUERY PLAN']);
      const executionMs = Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1] ?? NaN);
      log(`EXPLAIN ANALYZE of the figures query:\n${lines.join('\n')}`);
      return {
        bench: 'eval',
        applications: APPLICATIONS,
        received2026: figures.value.university?.received,
        items: figures.value.items.length,
        fileBytes: exported.value.bytes.byteLength,
        figuresSeconds: Number(((t1 - t0) / 1000).toFixed(2)),
        seconds: Number(seconds.toFixed(2)),
        queryMs: executionMs,
        target: TARGET_SECONDS,
        met: seconds <= TARGET_SECONDS,
      };
    } finally {
      await disposeContainer(container);
    }
  } finally {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Deterministic pseudo-random in [0, 1) from an integer (no random(): every run has the same data). */
const R = (expr: string, salt: number) => `((hashint4((${expr})::int + ${salt}) & 2147483647)::float8 / 2147483648)`;

async function generate(knex: ReturnType<typeof createKnex>): Promise<void> {
  await knex.raw('SET synchronous_commit = off');
  const units = (await knex('units').orderBy('key').pluck('key')) as string[];
  log(`${ITEMS} items over ${units.length} units`);
  await knex.raw(
    `INSERT INTO service_items (id, code, name, owning_unit, involved_units, description, offline_procedure, state, created_by, created_at, updated_at)
     SELECT md5('item' || i)::uuid, 'BE-' || lpad(i::text, 4, '0'), '评估事项' || i, (?::text[])[1 + i % ?], '{}', '-', '-',
            CASE WHEN i % 10 = 0 THEN 'offline' ELSE 'online' END, 'T0001', now(), now()
     FROM generate_series(0, ? - 1) i`,
    [units, units.length, ITEMS],
  );
  await knex.raw(
    `INSERT INTO service_versions (id, item_id, number, state, created_by, created_at, updated_at)
     SELECT md5('version' || i)::uuid, md5('item' || i)::uuid, 1, 'online', 'T0001', now(), now()
     FROM generate_series(0, ? - 1) i`,
    [ITEMS],
  );
  log(`${APPLICATIONS} applications`);
  // submitted over 2026 (China time), with 3% in late 2025 and 2% in early 2027; handled in 0–20 days
  await knex.raw(
    `INSERT INTO applications (id, item_id, version_id, owning_unit, applicant_id, applicant, form, state, created_at, updated_at, submitted_at, ended_at)
     SELECT id, md5('item' || it)::uuid, md5('version' || it)::uuid, (?::text[])[1 + it % ?], '2024110101', '{}', '{}',
            state, submitted, submitted, submitted,
            CASE WHEN state = 'in_progress' THEN NULL ELSE submitted + (${R('n', 3)} * 20 * 86400) * interval '1 second' END
     FROM (
       SELECT n, md5('app' || n)::uuid AS id, n % ? AS it,
              timestamptz '2025-12-31 16:00:00+00' + ((${R('n', 1)} * 1.05 - 0.03) * 365 * 86400) * interval '1 second' AS submitted,
              CASE WHEN ${R('n', 2)} < 0.80 THEN 'completed' WHEN ${R('n', 2)} < 0.86 THEN 'rejected'
                   WHEN ${R('n', 2)} < 0.90 THEN 'withdrawn' WHEN ${R('n', 2)} < 0.91 THEN 'cancelled'
                   ELSE 'in_progress' END AS state
       FROM generate_series(1, ?) n
     ) g`,
    [units, units.length, ITEMS, APPLICATIONS],
  );
  log('tasks');
  // 2 or 3 tasks each, due a few days after submission; about 1 in 8 acted after its due time
  await knex.raw(
    `INSERT INTO tasks (id, application_id, node_key, activation, status, "order", created_at, due_at, acted_at, owning_unit)
     SELECT md5(a.id::text || k)::uuid, a.id, 'n' || k, 1,
            CASE WHEN a.state = 'in_progress' AND k = 2 THEN 'open' WHEN a.state IN ('withdrawn', 'cancelled') AND k > 1 THEN 'cancelled' ELSE 'done' END,
            k, a.submitted_at, a.submitted_at + k * interval '3 days',
            CASE WHEN (a.state = 'in_progress' AND k = 2) OR (a.state IN ('withdrawn', 'cancelled') AND k > 1) THEN NULL
                 WHEN ${R('hashtext(a.id::text) + k', 4)} < 0.125 THEN a.submitted_at + k * interval '3 days' + interval '5 hours'
                 ELSE a.submitted_at + k * interval '3 days' - interval '5 hours' END,
            a.owning_unit
     FROM applications a, generate_series(1, 3) k
     WHERE k < 3 OR hashtext(a.id::text) % 2 = 0`,
  );
  log('urges, ratings, follow-ups');
  await knex.raw(
    `INSERT INTO application_history (application_id, seq, at, actor, action)
     SELECT id, 1, submitted_at + interval '2 days', applicant_id, 'urged' FROM applications
     WHERE hashtext(id::text || 'u') % 10 = 0`,
  );
  await knex.raw(
    `INSERT INTO evaluations (application_id, item_id, owning_unit, applicant_id, level, created_at, updated_at)
     SELECT id, item_id, owning_unit, applicant_id, 1 + (abs(hashtext(id::text || 'r')) % 5), ended_at + interval '1 day', ended_at + interval '1 day'
     FROM applications WHERE state = 'completed' AND hashtext(id::text || 'e') % 3 <> 0`,
  );
  await knex.raw(
    `INSERT INTO follow_ups (id, application_id, item_id, owning_unit, level, status, due_at, created_at, closed_at)
     SELECT md5(application_id::text || 'f')::uuid, application_id, item_id, owning_unit, level,
            CASE WHEN hashtext(application_id::text) % 4 = 0 THEN 'open' ELSE 'resolved' END,
            created_at + interval '5 days', created_at,
            CASE WHEN hashtext(application_id::text) % 4 = 0 THEN NULL ELSE created_at + (1 + abs(hashtext(application_id::text)) % 8) * interval '1 day' END
     FROM evaluations WHERE level <= 2`,
  );
  await knex.raw('ANALYZE');
  const counts = await knex.raw<{ rows: Array<Record<string, string>> }>(
    `SELECT (SELECT count(*) FROM applications) AS applications, (SELECT count(*) FROM tasks) AS tasks,
            (SELECT count(*) FROM application_history) AS urges, (SELECT count(*) FROM evaluations) AS ratings,
            (SELECT count(*) FROM follow_ups) AS follow_ups`,
  );
  log(JSON.stringify(counts.rows[0]));
}
