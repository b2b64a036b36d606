import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { startEmbeddedDatabase, freePort } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import { createKnex } from '../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../src/adapters/driven/knex/migration-source.js';
import { seedDemoOrganisation, seedDemoServiceItems } from '../src/adapters/composition/demo.js';
import { hashPassword } from '../src/adapters/driven/local-identity/password-hash.js';
import { DEMO_PASSWORD } from '../src/adapters/driving/seed/demo-people.js';
import {
  buildContainer,
  disposeContainer,
  type Container,
  type ResolvedConfig,
} from '../src/adapters/composition/container.js';
import {
  addApplications,
  applicantId,
  dropIndexes,
  handlerId,
  prepareOrganisation,
  restoreIndexes,
  SPACING_MS,
  vacuumAnalyze,
} from './bulk-applications.js';
import { captureReads, explain, type PlanSummary } from './query-plans.js';
import { benchConfig } from './bench-config.js';

interface CannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<CannonResult>;

/** BENCH_SCALE=10m adds 10 M; BENCH_SCALE=quick is a smoke run of the harness at 2 k and 20 k. */
const SCALES: Array<[string, number]> =
  process.env.BENCH_SCALE === 'quick'
    ? [
        ['2k', 2_000],
        ['20k', 20_000],
      ]
    : [
        ['10k', 10_000],
        ['1m', 1_000_000],
        ...(process.env.BENCH_SCALE === '10m' ? [['10m', 10_000_000] as [string, number]] : []),
      ];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 8;
/** Pages of 20: full at every scale for the sample handler and applicant, so each scale answers the same amount. */
const PAGE = 20;
const SHAPE = { units: 100, handlersPerUnit: 20, applicants: 25_000 };
const READS = ['inbox', 'todo_count', 'my_applications', 'progress', 'unit_supervision'] as const;
type Read = (typeof READS)[number];
const log = (m: string) => process.stderr.write(`[inbox] ${m}\n`);
const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const configFor = (url: string, dataDir: string): ResolvedConfig => benchConfig(url, dataDir);

/** Who reads what: the sample handler (two pools), the sample applicant, the President's Office for a unit. */
interface Sample {
  handler: string;
  applicant: string;
  supervisor: string;
  unit: string;
  applicationId: string;
}

/** Each read through its use case in this process, its statements captured and explained as sent. */
async function plans(container: Container, db: pg.ClientBase, s: Sample): Promise<Record<Read, PlanSummary[]>> {
  const knex = container.knex;
  const actor = (personId: string) => ({ personId, requestId: 'bench-explain' });
  const uc = container.useCases;
  const runs: Record<Read, () => Promise<unknown>> = {
    inbox: () => uc.inbox.list({ actor: actor(s.handler), limit: PAGE }),
    todo_count: () => uc.inbox.count({ actor: actor(s.handler) }),
    my_applications: () => uc.listMyApplications.execute({ actor: actor(s.applicant), limit: PAGE }),
    progress: () => uc.getApplication.execute({ actor: actor(s.applicant), applicationId: s.applicationId }),
    unit_supervision: () => uc.supervision.unit({ actor: actor(s.supervisor), unitKey: s.unit }),
  };
  const out = {} as Record<Read, PlanSummary[]>;
  for (const read of READS) {
    await runs[read]();
    const { queries } = await captureReads(knex, runs[read]);
    out[read] = [];
    for (const q of queries) out[read].push(await explain(db, q, true));
  }
  return out;
}

const BIG = new Set(['applications', 'tasks', 'application_history', 'audit_log']);
function verdict(ps: PlanSummary[]): string {
  const seq = ps.flatMap((p) => p.seqScans.filter((t) => BIG.has(t)));
  const touched = ps.reduce((n, p) => n + p.rowsTouched, 0);
  return `${seq.length ? `SEQ SCAN of ${seq.join(', ')}` : 'index scans only'}; rows touched ${touched}; indexes ${[...new Set(ps.flatMap((p) => p.indexes))].join(', ')}`;
}

async function measure(url: string, token?: string): Promise<{ p99: number; rps: number }> {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { p99: r.latency.p99, rps: r.requests.average };
}

/**
 * The reads of a handler, an applicant and a supervisor at 10 k and 1 M applications (10 M with
 * BENCH_SCALE=10m), generated in SQL over units, handlers and applicants shaped like a university,
 * measured from outside on a server process against GET /healthz in the same run, with the plans of
 * their statements.
 */
export async function runInboxBench(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-inbox-'));
  await chmod(dataDir, 0o755);
  const planFile = path.join(tmpdir(), `hall-bench-inbox-plans-${process.pid}.json`);
  const db = await startEmbeddedDatabase({ dataDir });
  const loader = new pg.Client({ connectionString: db.url });
  let server: ChildProcess | undefined;
  let container: Container | undefined;
  try {
    await loader.connect();
    for (const [k, v] of [
      ['max_wal_size', '8GB'],
      ['checkpoint_timeout', '30min'],
      ['synchronous_commit', 'off'],
    ])
      await loader.query(`ALTER SYSTEM SET ${k} = '${v}'`);
    await loader.query('SELECT pg_reload_conf()');
    await loader.query(`SET maintenance_work_mem = '1GB'`);
    const knex = createKnex(db.url, 4);
    await migrateLatest(knex);
    await seedDemoOrganisation(knex);
    await knex.destroy();
    const config = configFor(db.url, dataDir);
    const seeding = await buildContainer(config, undefined, pino({ level: 'silent' }));
    await seedDemoServiceItems(seeding, pino({ level: 'silent' }));
    await disposeContainer(seeding);
    await prepareOrganisation(loader, SHAPE);
    const hash = await hashPassword(DEMO_PASSWORD);
    const sample = { handler: handlerId(1), applicant: applicantId(1), supervisor: 'T0001' };
    for (const id of [sample.handler, sample.applicant])
      await loader.query('INSERT INTO local_accounts (username, person_id, password_hash) VALUES ($1, $1, $2)', [
        id,
        hash,
      ]);
    const unit = (await loader.query('SELECT unit_key FROM people WHERE id = $1', [sample.handler])).rows[0]
      .unit_key as string;

    const now = new Date();
    const t0 = new Date(now.getTime() - SCALES[SCALES.length - 1]![1] * SPACING_MS);
    const figures: Record<string, Record<string, { p99: number; rps: number }>> = {};
    const generation: Record<string, number> = {};
    const allPlans: Record<string, unknown> = {};
    let have = 0;
    let base = '';
    const tokens: Record<string, string> = {};
    for (const [scale, n] of SCALES) {
      log(`generating applications ${have + 1}..${n}`);
      const started = performance.now();
      const big = n - have > 100_000;
      const saved = big ? await dropIndexes(loader) : [];
      await addApplications(loader, { from: have, to: n, t0, now, ...SHAPE });
      await restoreIndexes(loader, saved);
      await vacuumAnalyze(loader);
      generation[scale] = round((performance.now() - started) / 1000);
      have = n;
      const sizes = (
        await loader.query(`SELECT (SELECT count(*) FROM tasks WHERE status = 'open')::int AS open_tasks, (SELECT count(*) FROM application_history)::bigint AS history,
        pg_size_pretty(pg_database_size(current_database())) AS size`)
      ).rows[0];
      log(
        `${scale}: ${n} applications in ${generation[scale]} s; ${sizes.open_tasks} open tasks, ${sizes.history} history rows, ${sizes.size}`,
      );

      if (!server) {
        const port = await freePort();
        server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
          env: {
            ...process.env,
            PORT: String(port),
            HOST: '127.0.0.1',
            DATABASE_URL: db.url,
            SESSION_SECRET: config.sessionSecret,
            LOG_LEVEL: 'warn',
            DB_POOL_MAX: '10',
            SEED_DEMO: '0',
            JOBS_WORKER: '0',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        base = `http://127.0.0.1:${port}`;
        for (let i = 0; ; i++) {
          try {
            if ((await fetch(`${base}/readyz`)).ok) break;
          } catch {
            /* starting */
          }
          if (i > 300) throw new Error('server did not start');
          await new Promise((r) => setTimeout(r, 100));
        }
        for (const [who, username] of [
          ['handler', sample.handler],
          ['applicant', sample.applicant],
          ['supervisor', 'xb-officer'],
        ] as const) {
          const r = await fetch(`${base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password: DEMO_PASSWORD }),
          });
          tokens[who] = ((await r.json()) as { token: string }).token;
        }
        container = await buildContainer(config, undefined, pino({ level: 'silent' }));
      }
      const applicationId = (
        await loader.query(
          'SELECT id FROM applications WHERE applicant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
          [sample.applicant],
        )
      ).rows[0].id as string;
      const s: Sample = { ...sample, unit, applicationId };

      const explained = await plans(container!, loader, s);
      allPlans[scale] = explained;
      for (const read of READS) log(`${scale} ${read}: ${verdict(explained[read])}`);

      const targets: Record<string, { path: string; token?: string }> = {
        healthz: { path: '/healthz' },
        inbox: { path: `/api/v1/me/tasks?limit=${PAGE}`, token: tokens.handler },
        todo_count: { path: '/api/v1/me/todo-count', token: tokens.handler },
        my_applications: { path: `/api/v1/applications?limit=${PAGE}`, token: tokens.applicant },
        progress: { path: `/api/v1/applications/${applicationId}`, token: tokens.applicant },
        unit_supervision: { path: `/api/v1/supervision/units/${unit}`, token: tokens.supervisor },
      };
      // the first scale also warms the freshly started server (JIT, pools, caches)
      for (const t of Object.values(targets))
        await autocannon({
          url: base + t.path,
          connections: CONNECTIONS,
          duration: 3,
          ...(t.token ? { headers: { authorization: `Bearer ${t.token}` } } : {}),
        });
      const rounds: Record<string, Array<{ p99: number; rps: number }>> = {};
      for (let r = 0; r < ROUNDS; r++) {
        for (const [name, t] of Object.entries(targets))
          (rounds[name] ??= []).push(await measure(base + t.path, t.token));
      }
      figures[scale] = Object.fromEntries(
        Object.entries(rounds).map(([name, xs]) => [
          name,
          { p99: median(xs.map((x) => x.p99)), rps: round(median(xs.map((x) => x.rps))) },
        ]),
      );
      log(`${scale}: ${JSON.stringify(figures[scale])}`);
    }
    await writeFile(planFile, JSON.stringify(allPlans, null, 1));
    log(`plans: ${planFile}`);

    const small = SCALES[0]![0];
    const reads = Object.fromEntries(
      READS.map((read) => {
        const at = (scale: string) => figures[scale]![read]!;
        const hz = (scale: string) => figures[scale]!.healthz!;
        return [
          read,
          {
            ...Object.fromEntries(
              SCALES.flatMap(([scale]) => [
                [`p99_ms_${scale}`, at(scale).p99],
                [`rps_${scale}`, at(scale).rps],
                [`p99_vs_healthz_${scale}`, round(at(scale).p99 / Math.max(1, hz(scale).p99))],
                [`rps_vs_healthz_${scale}`, round(at(scale).rps / hz(scale).rps)],
              ]),
            ),
            ...Object.fromEntries(
              SCALES.slice(1).map(([scale]) => [
                `p99_growth_${scale}_over_${small}`,
                round(at(scale).p99 / Math.max(1, at(small).p99)),
              ]),
            ),
            rows_touched: Object.fromEntries(
              SCALES.map(([scale]) => [
                scale,
                (allPlans[scale] as Record<Read, PlanSummary[]>)[read].reduce((n, p) => n + p.rowsTouched, 0),
              ]),
            ),
            index_scans_only: SCALES.every(([scale]) =>
              (allPlans[scale] as Record<Read, PlanSummary[]>)[read].every((p) => !p.seqScans.some((t) => BIG.has(t))),
            ),
          },
        ];
      }),
    );
    return {
      bench: 'inbox',
      connections: CONNECTIONS,
      rounds: ROUNDS,
      seconds_per_round: SECONDS,
      target_growth: 1.5,
      healthz: Object.fromEntries(SCALES.map(([scale]) => [scale, figures[scale]!.healthz])),
      reads,
      generation_s: generation,
      plans_file: planFile,
    };
  } finally {
    if (container) await disposeContainer(container);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await loader.end().catch(() => undefined);
    await db.stop();
    if (!process.env.BENCH_KEEP) await rm(dataDir, { recursive: true, force: true });
  }
}
