import type { Logger } from 'pino';
import type { RelayOutboxUseCase } from '../../../application/outbox/relay-outbox.use-case.js';
import type { RelayLease } from '../../../application/ports/outbox-relay.port.js';

export interface OutboxRelayOptions {
  /** How long a relay that has caught up waits before it looks again. */
  pollMs: number;
  /** How often an instance without the lease tries to take it (fail-over time). */
  leaseRetryMs: number;
  /** Back-off after a failed delivery: doubling from `backoffMinMs` up to `backoffMaxMs`, jittered (half to all of it). */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** How often old delivered outbox rows are deleted (by the instance that holds a lease). */
  cleanUpEveryMs: number;
}

export const DEFAULT_RELAY_OPTIONS: OutboxRelayOptions = {
  pollMs: 1000,
  leaseRetryMs: 5000,
  backoffMinMs: 1000,
  backoffMaxMs: 60_000,
  cleanUpEveryMs: 60 * 60 * 1000,
};

/**
 * Runs the outbox relay of every configured sink in this instance: each loop tries the sink's
 * lease (one holder across all instances; the others keep trying, and take over within
 * `leaseRetryMs` of the holder's death), then steps the relay while it holds it, backing off
 * with jitter after a failed delivery. Stopping lets the step in flight finish and frees the lease.
 */
export class OutboxRelayRunner {
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly relay: RelayOutboxUseCase,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = DEFAULT_RELAY_OPTIONS,
  ) {}

  start(): void {
    for (const sink of this.relay.sinks()) this.loops.push(this.loop(sink));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  private async loop(sink: string): Promise<void> {
    const log = this.logger.child({ sink });
    let lastCleanUp = 0;
    while (!this.stopping) {
      let lease: RelayLease | null = null;
      try {
        lease = await this.relay.lease(sink);
        if (!lease) {
          await this.sleep(this.options.leaseRetryMs);
          continue;
        }
        log.info('outbox relay holds the lease');
        let failures = 0;
        while (!this.stopping) {
          if (Date.now() - lastCleanUp > this.options.cleanUpEveryMs) {
            lastCleanUp = Date.now();
            const deleted = await this.relay.cleanUp();
            if (deleted) log.info({ deleted }, 'outbox rows past retention deleted');
          }
          const outcome = await this.relay.pump(lease);
          if (outcome.kind === 'failed') {
            failures++;
            const cap = Math.min(this.options.backoffMaxMs, this.options.backoffMinMs * 2 ** (failures - 1));
            log.warn({ reason: outcome.reason, failures }, 'outbox delivery failed; backing off');
            await this.sleep(Math.round(cap / 2 + (Math.random() * cap) / 2));
            continue;
          }
          failures = 0;
          if (outcome.kind === 'progress' && outcome.parked)
            log.warn({ parked: outcome.parked }, 'outbox events parked');
          if (outcome.kind === 'idle') await this.sleep(this.options.pollMs);
        }
      } catch (e) {
        log.error({ err: e }, 'outbox relay stopped on an error; trying again');
        await this.sleep(this.options.leaseRetryMs);
      } finally {
        await lease?.release();
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        this.wakers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
