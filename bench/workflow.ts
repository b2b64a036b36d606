import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { startEmbeddedDatabase, freePort } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import { createKnex } from '../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../src/adapters/driven/knex/migration-source.js';
import { seedDemoOrganisation } from '../src/adapters/composition/demo.js';
import { hashPassword } from '../src/adapters/driven/local-identity/password-hash.js';
import { buildContainer, disposeContainer } from '../src/adapters/composition/container.js';
import { launchItem, pooledDefinition } from './launch-item.js';
import { BENCH_SECRET, benchConfig } from './bench-config.js';
import { cpuMs, percentile, runConcurrently } from './measure.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** The second run: many more handlers than connections (DB_POOL_MAX=10). */
const HIGH_CONCURRENCY = Number(process.env.BENCH_HIGH_CONCURRENCY ?? 32);
const PER_WORKER = Number(process.env.BENCH_APPLICATIONS ?? 40);
const POOL_MAX = 10;
/** Other holders of each handler's pool, so that a pool resolves to several people as in a real unit. */
const POOL_COLLEAGUES = 4;
const PASSWORD = 'bench-password-1';
const log = (m: string) => process.stderr.write(`[workflow] ${m}\n`);

interface Step {
  id: string;
  assignee: string | null;
}
interface AppReply {
  state: string;
  currentTasks: Step[];
}

/**
 * Simulated handlers each work their own applications to completion through the HTTP API of a
 * server process on the embedded PostgreSQL: claim the pool's review, approve it, approve the large
 * amounts' extra step, claim and approve the completion (4 or 5 steps an application). Measured at
 * CONCURRENCY handlers, then at HIGH_CONCURRENCY handlers on a pool of 10 connections (errors
 * counted, none expected); in the same run, the HTTP ceiling (GET /healthz) and a baseline of
 * single-row UPDATE transactions through pg.
 */
export async function runWorkflowBench(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-'));
  await chmod(dataDir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir });
  let server: ChildProcess | undefined;
  try {
    const handlers = Array.from(
      { length: Math.max(CONCURRENCY, HIGH_CONCURRENCY) },
      (_, i) => `B${String(i).padStart(4, '0')}`,
    );
    await prepareOrganisation(db.url, handlers);

    // the first CONCURRENCY handlers work in both runs: they get two batches
    const batches = handlers.map((_, i) => (i < CONCURRENCY ? 2 : 1));
    log(`preparing ${handlers.length} items and ${batches.reduce((n, b) => n + b, 0) * PER_WORKER} applications`);
    const work = await prepareApplications(db.url, dataDir, handlers, batches);

    const port = await freePort();
    const profile = process.env.BENCH_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : [];
    server = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        SESSION_SECRET: BENCH_SECRET,
        METRICS_TOKEN: BENCH_SECRET,
        LOG_LEVEL: 'warn',
        DB_POOL_MAX: String(POOL_MAX),
        SEED_DEMO: '0',
        JOBS_WORKER: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await untilReady(base);
    const tokens = await Promise.all(handlers.map((h) => login(base, h)));

    const statementsBefore = await statementsSent(base);
    const cpuGroups = { server: /src\/main\.ts/, postgres: /^postgres|\/postgres /, bench: /bench\/run\.ts/ };
    const cpuBefore = await cpuMs(cpuGroups);
    log(`measuring the workflow at ${CONCURRENCY} handlers`);
    const low = await runWorkflow(
      base,
      work.slice(0, CONCURRENCY).map((w, i) => ({ token: tokens[i]!, applications: w[0]! })),
    );
    const cpuAfter = await cpuMs(cpuGroups);
    const statementsPerStep = ((await statementsSent(base)) - statementsBefore) / low.count;
    const cpuPerStep = Object.fromEntries(
      Object.keys(cpuGroups).map((k) => [k, round3((cpuAfter[k]! - cpuBefore[k]!) / low.count)]),
    );

    log(`measuring the workflow at ${HIGH_CONCURRENCY} handlers on ${POOL_MAX} connections`);
    const high = await runWorkflow(
      base,
      work.slice(0, HIGH_CONCURRENCY).map((w, i) => ({ token: tokens[i]!, applications: w[w.length - 1]! })),
    );

    log('measuring the HTTP ceiling (GET /healthz, no database)');
    const ceiling = await runConcurrently(
      handlers.slice(0, CONCURRENCY).map(() => async (record) => {
        for (let k = 0; k < PER_WORKER * 5; k++) {
          const t0 = performance.now();
          const r = await fetch(`${base}/healthz`);
          await r.arrayBuffer();
          record(performance.now() - t0);
        }
      }),
    );

    log('measuring the baseline');
    const baseline = await baselineTransactions(db.url, Math.max(200, Math.round((low.count / CONCURRENCY) * 3)));

    const stepsPerS = low.count / low.seconds;
    const ceilingRps = ceiling.count / ceiling.seconds;
    const baselineTps = baseline.count / baseline.seconds;
    return {
      bench: 'workflow',
      concurrency: CONCURRENCY,
      steps: low.count,
      steps_per_s: Math.round(stepsPerS),
      p50_ms: round(percentile(low.latencies, 50)),
      p99_ms: round(percentile(low.latencies, 99)),
      statements_per_step: round(statementsPerStep),
      errors: low.errors,
      cpu_ms_per_step: cpuPerStep,
      http_ceiling_rps: Math.round(ceilingRps),
      ratio_to_ceiling: round3(stepsPerS / ceilingRps),
      baseline_tps: Math.round(baselineTps),
      baseline_p99_ms: round(percentile(baseline.latencies, 99)),
      ratio: round3(stepsPerS / baselineTps),
      high: {
        concurrency: HIGH_CONCURRENCY,
        db_pool_max: POOL_MAX,
        steps: high.count,
        errors: high.errors,
        error_statuses: high.statuses,
        steps_per_s: Math.round(high.count / high.seconds),
        p50_ms: round(percentile(high.latencies, 50)),
        p99_ms: round(percentile(high.latencies, 99)),
      },
    };
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** One unit per handler, whose `handler` pool the handler holds with a few colleagues. */
async function prepareOrganisation(url: string, handlers: string[]): Promise<void> {
  const knex = createKnex(url, 4);
  try {
    await migrateLatest(knex);
    await seedDemoOrganisation(knex);
    const hash = await hashPassword(PASSWORD);
    for (const [i, id] of handlers.entries()) {
      const unit = unitOf(i);
      await knex('units').insert({ key: unit, code: `BU${i}`, name: `基准单位${i}`, kind: 'office' });
      const people = [id, ...Array.from({ length: POOL_COLLEAGUES }, (_, k) => `${id}-${k}`)];
      await knex('people').insert(
        people.map((p) => ({ id: p, name: `办理人${p}`, type: 'staff', unit_key: unit, status: 'active' })),
      );
      await knex('local_accounts').insert({ username: id.toLowerCase(), person_id: id, password_hash: hash });
      await knex('casbin_rule').insert(people.map((p) => ({ ptype: 'g', v0: p, v1: 'handler', v2: unit })));
    }
  } finally {
    await knex.destroy();
  }
}

const unitOf = (i: number) => `bench-unit-${i}`;

/** For each handler, `batches[i]` lists of PER_WORKER submitted applications (their first task ids), half of them large amounts. */
async function prepareApplications(
  url: string,
  dataDir: string,
  handlers: string[],
  batches: number[],
): Promise<string[][][]> {
  const config = benchConfig(url, dataDir, { dbPoolMax: 4 });
  const container = await buildContainer(config, undefined, pino({ level: 'silent' }));
  try {
    const start = container.useCases.startApplication;
    const work: string[][][] = [];
    for (const [i, handler] of handlers.entries()) {
      const itemId = await launchItem(container, `CW-B${i}`, pooledDefinition(unitOf(i), handler));
      const lists: string[][] = [];
      for (let b = 0; b < batches[i]!; b++) {
        const applications: string[] = [];
        for (let k = 0; k < PER_WORKER; k++) {
          const r = await start.execute({
            actor: { personId: '2024110101', requestId: 'bench' },
            itemId,
            form: { amount: k % 2 ? 1500 : 500, purpose: '基准测试' },
            submit: true,
          });
          if (!r.ok) throw r.error;
          applications.push(r.value.currentTasks[0]!.id);
        }
        lists.push(applications);
      }
      work.push(lists);
    }
    return work;
  } finally {
    await disposeContainer(container);
  }
}

async function untilReady(base: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      /* starting */
    }
    if (i > 300) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function login(base: string, handler: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: handler.toLowerCase(), password: PASSWORD }),
  });
  return ((await r.json()) as { token: string }).token;
}

async function statementsSent(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${BENCH_SECRET}` } })).text();
  return Number(/^hall_db_statements_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

/** Each worker takes its applications to completion, one step (claim or approve) a request; a refused step is an error. */
async function runWorkflow(base: string, workers: Array<{ token: string; applications: string[] }>) {
  let errors = 0;
  const statuses: Record<string, number> = {};
  const step = async (token: string, taskId: string, action: 'claim' | 'approve'): Promise<AppReply | null> => {
    const r = await fetch(`${base}/api/v1/tasks/${taskId}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const body = await r.text();
    if (r.status !== 200) {
      errors++;
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      return null;
    }
    return JSON.parse(body) as AppReply;
  };
  const run = await runConcurrently(
    workers.map((w) => async (record) => {
      for (const first of w.applications) {
        let task: Step | undefined = { id: first, assignee: null };
        while (task) {
          if (task.assignee === null) {
            const t0 = performance.now();
            const claimed = await step(w.token, task.id, 'claim');
            record(performance.now() - t0);
            if (!claimed) break;
          }
          const t0 = performance.now();
          const after = await step(w.token, task.id, 'approve');
          record(performance.now() - t0);
          if (!after) break;
          task = after.state === 'completed' ? undefined : after.currentTasks[0];
        }
      }
    }),
  );
  return { ...run, errors, statuses };
}

async function baselineTransactions(url: string, perWorker: number) {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_rows (id int PRIMARY KEY, v bigint NOT NULL)');
    await pool.query('INSERT INTO bench_rows SELECT g, 0 FROM generate_series(1, $1) g ON CONFLICT DO NOTHING', [
      CONCURRENCY,
    ]);
    return await runConcurrently(
      Array.from({ length: CONCURRENCY }, (_, i) => async (record) => {
        const client = await pool.connect();
        try {
          for (let k = 0; k < perWorker; k++) {
            const t0 = performance.now();
            await client.query('BEGIN');
            await client.query('UPDATE bench_rows SET v = v + 1 WHERE id = $1', [i + 1]);
            await client.query('COMMIT');
            record(performance.now() - t0);
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;
