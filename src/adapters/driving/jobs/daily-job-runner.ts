import type { Logger } from 'pino';

/**
 * Asks for a daily job every `askEveryMs` (an hour by default) in every job worker; `ask` turns the
 * requests of all the instances into one job per day (pg-boss's singleton key and slot), and the
 * job's work is idempotent, so a request that slips through changes nothing.
 */
export class DailyJobRunner {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ask: () => Promise<void>,
    private readonly logger: Logger,
    private readonly askEveryMs: number,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.ask();
      } catch (e) {
        this.logger.error({ err: e }, 'asking for a daily job failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.askEveryMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }
}
