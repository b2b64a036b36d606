import type { Logger } from 'pino';
import { chinaDate } from '../../../domain/calendar/working-calendar.js';

/** The longest singleton slot pg-boss allows (its archive interval): 12 hours, from 00:00 and 12:00 UTC. */
export const DAILY_SLOT_SECONDS = 43_200;

/**
 * When a daily job is asked for, and under which singleton key: from 08:00 to 20:00 in China (one
 * pg-boss slot, 00:00 to 12:00 UTC), keyed by the day. However many instances ask, however often,
 * the day has one job: its slot is over before pg-boss archives it (12 hours after it ends). Null
 * outside those hours; `anyTime` (tests) asks whenever, still one job per slot and day.
 */
export function dailyAsk(now: Date, anyTime = false): { day: string; singletonKey: string } | null {
  if (!anyTime && now.getUTCHours() >= 12) return null;
  const day = chinaDate(now);
  return { day, singletonKey: day };
}

/**
 * Asks for a daily job every `askEveryMs` (an hour by default) in every job worker; `ask` turns the
 * requests of all the instances into one job per day (pg-boss's singleton key and slot), and the
 * job's work is idempotent besides, so a job run again changes nothing.
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
      // stopped while asking: no sleep to wake
      if (this.stopping) break;
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
