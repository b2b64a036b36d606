import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { startEmbeddedDatabase, freePort } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import { createKnex } from '../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../src/adapters/driven/knex/migration-source.js';
import { seedOrganisation } from '../src/adapters/driving/seed/demo-seed.js';
import { hashPassword } from '../src/adapters/driven/local-identity/password-hash.js';
import { buildContainer, disposeContainer } from '../src/adapters/composition/container.js';
import { USE_CASES } from '../src/adapters/composition/tokens.js';
import type { StartApplicationUseCase } from '../src/application/applications/start-application/start-application.use-case.js';
import { launchItem } from './launch-item.js';
import { percentile, runConcurrently } from './measure.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PER_WORKER = Number(process.env.BENCH_APPLICATIONS ?? 60);
const PASSWORD = 'bench-password-1';
const log = (m: string) => process.stderr.write(`[workflow] ${m}\n`);

/**
 * N simulated handlers each complete two-node approvals (approve, then complete) through the HTTP
 * API of a server process on the embedded PostgreSQL; in the same run, a baseline of single-row
 * UPDATE transactions through pg at the same concurrency.
 */
export async function runWorkflowBench(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-'));
  await chmod(dataDir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir });
  let server: ChildProcess | undefined;
  try {
    const knex = createKnex(db.url, 4);
    await migrateLatest(knex);
    await seedOrganisation(knex);
    const hash = await hashPassword(PASSWORD);
    const handlers = Array.from({ length: CONCURRENCY }, (_, i) => `B${String(i).padStart(4, '0')}`);
    for (const id of handlers) {
      await knex('people').insert({ id, name: `办理人${id}`, type: 'staff', unit_key: 'finance', status: 'active' });
      await knex('local_accounts').insert({ username: id.toLowerCase(), person_id: id, password_hash: hash });
    }
    await knex.destroy();

    log(`preparing ${CONCURRENCY} items and ${CONCURRENCY * PER_WORKER} applications`);
    const config = {
      port: 0, host: '127.0.0.1', databaseUrl: db.url, dataDir, seedDemo: false, logLevel: 'silent' as const,
      sessionSecret: 'bench-secret-bench-secret-bench-secret-00', sessionTtlMinutes: 60, sessionIdleMinutes: 30, sessionCacheSeconds: 30, loginMaxFailures: 5, dbPoolMax: 10, dbAcquireTimeoutMs: 10_000, caseNumberPattern: '{year}-{unit}-{seq:6}', evaluationChangeWindowDays: 7, followUpWorkingDays: 15, attachmentMaxBytes: 1024 * 1024, attachmentMaxFiles: 5, connectors: {}, directoryFile: undefined, cas: undefined, oidc: undefined, ldap: undefined, localAccounts: true, publicUrl: 'http://hall.campus.test', signingKeyFile: undefined,
    reminders: { beforeHours: 24, escalateAfterHours: 24 }, jobs: { worker: false, expireSeconds: 60, maintenanceSeconds: 30 }, smtp: undefined,
    };
    const container = await buildContainer(config, undefined, pino({ level: 'silent' }));
    const start = container.get<StartApplicationUseCase>(USE_CASES.startApplication);
    const work: Array<{ handler: string; applications: string[] }> = [];
    for (const [i, handler] of handlers.entries()) {
      const itemId = await launchItem(container, `CW-B${i}`, handler);
      const applications: string[] = [];
      for (let k = 0; k < PER_WORKER; k++) {
        const r = await start.execute({ actor: { personId: '2024110101', requestId: 'bench' }, itemId, form: { amount: 100 + k, purpose: '基准测试' }, submit: true });
        if (!r.ok) throw r.error;
        applications.push(r.value.currentTasks[0]!.id);
      }
      work.push({ handler, applications });
    }
    await disposeContainer(container);

    const port = await freePort();
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    server = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: db.url, SESSION_SECRET: config.sessionSecret, LOG_LEVEL: 'warn', DB_POOL_MAX: '10', SEED_DEMO: '0' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* starting */ }
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const tokens = await Promise.all(handlers.map(async (h) => {
      const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: h.toLowerCase(), password: PASSWORD }) });
      return ((await r.json()) as { token: string }).token;
    }));

    log('measuring the workflow');
    const approve = async (token: string, taskId: string) => {
      const r = await fetch(`${base}/api/v1/tasks/${taskId}/approve`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      if (r.status !== 200) throw new Error(`approve ${r.status}: ${await r.text()}`);
      return (await r.json()) as { state: string; currentTasks: Array<{ id: string }> };
    };
    const flow = await runConcurrently(work.map((w, i) => async (record) => {
      for (const first of w.applications) {
        let t0 = performance.now();
        const after = await approve(tokens[i]!, first);
        record(performance.now() - t0);
        t0 = performance.now();
        const done = await approve(tokens[i]!, after.currentTasks[0]!.id);
        record(performance.now() - t0);
        if (done.state !== 'completed') throw new Error(`expected completed, got ${done.state}`);
      }
    }));

    log('measuring the HTTP ceiling (GET /healthz, no database)');
    const ceiling = await runConcurrently(handlers.map(() => async (record) => {
      for (let k = 0; k < PER_WORKER * 2; k++) {
        const t0 = performance.now();
        const r = await fetch(`${base}/healthz`);
        await r.arrayBuffer();
        record(performance.now() - t0);
      }
    }));

    log('measuring the baseline');
    const pool = new pg.Pool({ connectionString: db.url, max: CONCURRENCY });
    await pool.query('CREATE TABLE IF NOT EXISTS bench_rows (id int PRIMARY KEY, v bigint NOT NULL)');
    await pool.query('INSERT INTO bench_rows SELECT g, 0 FROM generate_series(1, $1) g ON CONFLICT DO NOTHING', [CONCURRENCY]);
    const perWorker = Math.max(200, Math.round((flow.count / CONCURRENCY) * 3));
    const baseline = await runConcurrently(Array.from({ length: CONCURRENCY }, (_, i) => async (record) => {
      const client = await pool.connect();
      try {
        for (let k = 0; k < perWorker; k++) {
          const t0 = performance.now();
          await client.query('BEGIN');
          await client.query('UPDATE bench_rows SET v = v + 1 WHERE id = $1', [i + 1]);
          await client.query('COMMIT');
          record(performance.now() - t0);
        }
      } finally { client.release(); }
    }));
    await pool.end();

    const stepsPerS = flow.count / flow.seconds;
    const baselineTps = baseline.count / baseline.seconds;
    return {
      bench: 'workflow', concurrency: CONCURRENCY, steps: flow.count,
      steps_per_s: Math.round(stepsPerS), p50_ms: round(percentile(flow.latencies, 50)), p99_ms: round(percentile(flow.latencies, 99)),
      baseline_tps: Math.round(baselineTps), baseline_p99_ms: round(percentile(baseline.latencies, 99)),
      http_ceiling_rps: Math.round(ceiling.count / ceiling.seconds),
      ratio: Math.round((stepsPerS / baselineTps) * 1000) / 1000,
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

const round = (n: number) => Math.round(n * 10) / 10;
