import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** JSON lines for log collectors; readable lines when a person watches the terminal. */
export function createLogger(level: pino.LevelWithSilent): Logger {
  const base = { level, base: { service: 'service-hall' } };
  return process.stdout.isTTY ? pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' })) : pino(base);
}

/**
 * Calls `stop` once, on SIGINT or SIGTERM, or when the process that started this one (`npm start`)
 * is gone. Listeners that libraries registered for these signals are removed first: the embedded
 * PostgreSQL package would stop the database and exit the process at once, under requests in flight.
 */
export function onStop(stop: (why: string) => Promise<void>): void {
  let stopping = false;
  const once = (why: string) => {
    if (stopping) return;
    stopping = true;
    void stop(why);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => once(signal));
  }
  // killed `npm start` (SIGKILL): this process is re-parented; stop rather than run on unseen
  const parent = process.ppid;
  if (parent > 1) {
    setInterval(() => { if (process.ppid !== parent) once('parent process gone'); }, 1000).unref();
  }
}

/** Closes the server: no new connections, requests in flight get `graceSeconds` to finish, then their connections close. */
export async function closeServer(server: import('node:http').Server, graceSeconds: number): Promise<void> {
  const closed = new Promise<void>((r) => server.close(() => r()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceSeconds * 1000);
  await closed;
  clearTimeout(timer);
}

/**
 * What the hall answers from the moment it listens until its HTTP app is attached (the container
 * is built and the demo seeded meanwhile): alive, not ready. Without it a request in that window
 * found no handler and was never answered.
 */
export function startingUp(): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ status: 'not-ready', reason: 'starting' }));
  };
}

/**
 * What the hall answers while it waits for its schema (pending migrations and no MIGRATE_ON_START):
 * alive, not ready, and 503 for everything else, naming the command that helps.
 */
export function waitingForSchema(pending: () => readonly string[]): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, type: string, body: unknown) => {
      res.writeHead(status, { 'content-type': type, ...(status === 503 ? { 'retry-after': '5' } : {}) }).end(JSON.stringify(body));
    };
    if (path === '/healthz') return send(200, 'application/json', { status: 'ok' });
    const reason = `pending migrations: ${pending().join(', ')}; run \`hall db migrate\` (or start with MIGRATE_ON_START=1)`;
    if (path === '/readyz') return send(503, 'application/json', { status: 'not-ready', reason });
    return send(503, 'application/problem+json', {
      type: 'urn:service-hall:problem:SCHEMA.PENDING', title: 'Service Unavailable', status: 503, code: 'SCHEMA.PENDING', detail: reason, instance: path,
    });
  };
}
