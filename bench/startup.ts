import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../src/adapters/driven/embedded-postgres/embedded-database.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
const START_TIMEOUT_MS = 180_000;
const log = (m: string) => process.stderr.write(`[startup] ${m}\n`);

/** What `npm start` runs (package.json), with this node: the figure leaves out npm's own start-up. */
function startCommand(): { command: string; args: string[] } {
  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [first, ...args] = script.split(/\s+/);
  if (first !== 'node') throw new Error(`npm start is no longer 'node …' (${script}): adapt bench/startup.ts`);
  return { command: process.execPath, args };
}

interface LogLine {
  time: number;
  msg: string;
}

interface Start {
  seconds: number;
  /** The server's own info lines, in order, with their times (ms since the epoch). */
  lines: LogLine[];
  spawnedAt: number;
  readyAt: number;
}

/** Spawns the server on `dataDir` and waits for GET /readyz to answer 200; leaves it running. */
async function start(dataDir: string): Promise<{ child: ChildProcess; result: Start }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    HALL_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  for (const k of ['DATABASE_URL', 'SEED_DEMO', 'SESSION_SECRET']) delete env[k];
  const { command, args } = startCommand();
  const lines: LogLine[] = [];
  let output = '';
  let buffered = '';
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = spawn(command, args, { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      output += `${line}\n`;
      try {
        const parsed = JSON.parse(line) as Partial<LogLine>;
        if (typeof parsed.time === 'number' && typeof parsed.msg === 'string')
          lines.push({ time: parsed.time, msg: parsed.msg });
      } catch {
        /* not a log line */
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${port}/readyz`;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited ${child.exitCode} before it was ready:\n${output.slice(-4000)}`);
    if (performance.now() - t0 > START_TIMEOUT_MS) {
      await stop(child, dataDir);
      throw new Error(`the server was not ready after ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`);
    }
    try {
      if ((await fetch(url)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  return { child, result: { seconds, lines, spawnedAt, readyAt: spawnedAt + seconds * 1000 } };
}

/** SIGTERM, then wait for the process and for its embedded PostgreSQL to be gone. */
async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  for (let i = 0; i < 400 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 25));
  if (existsSync(pidFile)) {
    // the server did not stop its PostgreSQL: do it, so that nothing outlives the benchmark
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        /* gone */
      }
    }
    for (let i = 0; i < 200 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 25));
    log(`warning: PostgreSQL under ${dataDir} outlived the server and was stopped`);
  }
}

/**
 * Where the time went, from the server's info lines: process start and embedded PostgreSQL (initdb
 * on a cold start), migrations, the demo seed (with the container), listening, and the first 200
 * from /readyz. A phase whose line is absent (no migrations on a warm start) is left out.
 */
function phases(s: Start): Record<string, number> {
  const at = (msg: string, last = false) => {
    const found = s.lines.filter((l) => l.msg === msg);
    return (last ? found.at(-1) : found[0])?.time;
  };
  const marks: Array<[string, number | undefined]> = [
    ['process_and_postgres', at('embedded PostgreSQL started')],
    ['migrations', at('migrations applied')],
    ['container_and_seed', at('demo service item online', true)],
    ['listen', at('Service Hall API listening')],
    ['first_ready', s.readyAt],
  ];
  const out: Record<string, number> = {};
  let previous = s.spawnedAt;
  for (const [name, time] of marks) {
    if (time === undefined) continue;
    out[name] = round((time - previous) / 1000);
    previous = time;
  }
  return out;
}

/**
 * Seconds for a process to start and import everything src/main.ts imports, without running it:
 * the share of `process_and_postgres` that is node, tsx and module loading (the info lines have no
 * mark between loading and the embedded PostgreSQL).
 */
async function importSeconds(): Promise<number> {
  const main = readFileSync(path.join('src', 'main.ts'), 'utf8');
  const specs = [...main.matchAll(/^import\s+(?:[^'"]*\sfrom\s+)?'([^']+)';/gm)].map((m) => m[1]!);
  const urls = specs.map((sp) => (sp.startsWith('.') ? pathToFileURL(path.resolve('src', sp)).href : sp));
  const { command, args } = startCommand();
  const loaderArgs = args.slice(0, -1); // everything but the script
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      command,
      [...loaderArgs, '--input-type=module', '-e', urls.map((u) => `await import(${JSON.stringify(u)});`).join('\n')],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`importing main's modules exited ${code}`)),
    );
  });
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number) => Math.round(n * 1000) / 1000;

function medianPhases(all: Array<Record<string, number>>): Record<string, number> {
  const names = [...new Set(all.flatMap((p) => Object.keys(p)))];
  return Object.fromEntries(
    names.map((n) => [n, round(median(all.map((p) => p[n]).filter((v): v is number => v !== undefined)))]),
  );
}

/**
 * Seconds from spawning the server (`npm start`'s command) to GET /readyz answering 200: cold, on
 * an empty HALL_DATA_DIR (embedded PostgreSQL initialised, migrated, demo data seeded), then warm,
 * started again on the folder the cold start left. Medians of RUNS pairs; each cold start gets a
 * fresh folder; the server is stopped with SIGTERM between starts; the folders are removed.
 */
export async function runStartupBench(): Promise<Record<string, unknown>> {
  const cold: Start[] = [];
  const warm: Start[] = [];
  const imports: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-startup-'));
    await chmod(dataDir, 0o755);
    let child: ChildProcess | undefined;
    try {
      for (const [kind, into] of [
        ['cold', cold],
        ['warm', warm],
      ] as const) {
        const started = await start(dataDir);
        child = started.child;
        into.push(started.result);
        log(
          `run ${i + 1}/${RUNS} ${kind}: ${started.result.seconds.toFixed(2)} s ${JSON.stringify(phases(started.result))}`,
        );
        await stop(child, dataDir);
        child = undefined;
      }
      imports.push(await importSeconds());
      log(`run ${i + 1}/${RUNS} process start and imports alone: ${imports.at(-1)!.toFixed(2)} s`);
    } finally {
      if (child) await stop(child, dataDir);
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  }
  return {
    bench: 'startup',
    cold_s: round(median(cold.map((s) => s.seconds))),
    warm_s: round(median(warm.map((s) => s.seconds))),
    runs: RUNS,
    cold_runs_s: cold.map((s) => round(s.seconds)),
    warm_runs_s: warm.map((s) => round(s.seconds)),
    cold_phases_s: medianPhases(cold.map(phases)),
    warm_phases_s: medianPhases(warm.map(phases)),
    imports_only_s: round(median(imports)),
  };
}
