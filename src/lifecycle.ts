import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * JSON lines for log collectors; readable lines when a person watches the terminal. The API logs to
 * stdout; the CLI to stderr (fd 2), where its output stays apart from what a command prints.
 */
export function createLogger(level: pino.LevelWithSilent, fd: 1 | 2 = 1): Logger {
  const base = { level, base: { service: 'service-hall' } };
  const tty = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  return tty
    ? pino(
        base,
        pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', destination: fd }),
      )
    : pino(base, pino.destination({ fd, sync: true }));
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
  // `npm start` killed outright (SIGKILL): stop rather than run on unseen, holding the port and the database
  const parent = process.ppid;
  const wrappers = launchers(parent);
  if (parent > 1) {
    setInterval(() => {
      if (process.ppid !== parent || wrappers.some((pid) => !alive(pid))) once('parent process gone');
    }, 1000).unref();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The launchers this process runs under: from its parent up, while they are `npm` or the `sh -c`
 * npm runs a script with. Killing npm orphans the shell, not this process, so each is watched. A
 * hall started from an interactive shell or a service manager watches only its parent (no /proc: none).
 */
function launchers(parent: number): number[] {
  const out: number[] = [];
  for (let pid = parent; pid > 1 && out.length < 4;) {
    let cmd: string;
    let ppid: number;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    } catch {
      break;
    }
    if (!/^(\S*\/)?sh -c |(^|\/)npm( |$)|npm-cli\.js/.test(cmd)) break;
    out.push(pid);
    pid = ppid;
  }
  return out;
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
 * What the hall answers while it is not ready yet (starting, or waiting for its schema: pending
 * migrations and no MIGRATE_ON_START): alive, not ready, and 503 for everything else with the reason.
 */
export function notReady(reason: () => string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, type: string, body: unknown) => {
      res
        .writeHead(status, { 'content-type': type, ...(status === 503 ? { 'retry-after': '5' } : {}) })
        .end(JSON.stringify(body));
    };
    if (path === '/healthz') return send(200, 'application/json', { status: 'ok' });
    const why = reason();
    if (path === '/readyz') return send(503, 'application/json', { status: 'not-ready', reason: why });
    return send(503, 'application/problem+json', {
      type: 'urn:service-hall:problem:SERVICE.NOT_READY',
      title: 'Service Unavailable',
      status: 503,
      code: 'SERVICE.NOT_READY',
      detail: why,
      instance: path,
    });
  };
}
