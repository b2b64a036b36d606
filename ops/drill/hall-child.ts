import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');
/** The project's folder: ops/drill/ under it when run from source, dist/ops/drill/ after a build. */
export const projectRoot = fileURLToPath(new URL(fromSource ? '../../' : '../../../', import.meta.url));

/**
 * A hall process (the API, or an instance that only works jobs) as the drill starts it: the same
 * entry point as `npm start` (TypeScript through tsx when the drill runs from source, the build
 * otherwise), its own process group, its output kept for the report when something goes wrong.
 */
export class HallChild {
  private tail: string[] = [];
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly base: string,
  ) {
    const keep = (d: Buffer) => {
      this.tail.push(...d.toString().split('\n').filter(Boolean));
      if (this.tail.length > 200) this.tail.splice(0, this.tail.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((r) => child.once('exit', () => r()));
  }

  static start(name: string, port: number, env: Record<string, string>): HallChild {
    const args = fromSource ? ['--import', 'tsx', 'src/main.ts'] : ['--conditions=production', 'dist/src/main.js'];
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    return new HallChild(name, child, `http://127.0.0.1:${port}`);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    return this.child.pid!;
  }

  output(): string {
    return this.tail.join('\n');
  }

  /** Waits until /readyz answers 200; fails with the process's output if it exits or takes too long. */
  async ready(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (!this.alive)
        throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output()}`);
      try {
        const r = await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} was not ready after ${ms} ms:\n${this.output()}`);
  }

  /** SIGKILL: the process dies holding whatever it holds. */
  kill(): Promise<void> {
    if (this.alive) process.kill(this.pid, 'SIGKILL');
    return this.exited;
  }

  /** SIGTERM to its group, SIGKILL if it has not stopped within `ms`. */
  async stop(ms = 15_000): Promise<void> {
    if (!this.alive) return;
    try {
      process.kill(-this.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, ms);
    await this.exited;
    clearTimeout(timer);
  }
}
