import type { Logger } from 'pino';
import type { SequenceAuditLogUseCase } from '../../../application/audit/sequence-audit-log.use-case.js';

export interface AuditLogRunnerOptions {
  /** How often the sequencer looks for committed entries without a seq. */
  sequenceEveryMs: number;
  /** How often a checkpoint job is asked for (one per interval across the instances). */
  checkpointEveryMs: number;
  /** How often the partitions of the coming months are made sure of (at start, then daily). */
  partitionsEveryMs: number;
}

/**
 * The audit log's background work in a job worker: the sequencer every `sequenceEveryMs` (it skips
 * a round while another instance's sequencer is at it), and the request for a scheduled
 * checkpoint, which `askCheckpoint` turns into one job per interval across the instances, and
 * at start and every `partitionsEveryMs` the partitions of this month and the next ones.
 */
export class AuditLogRunner {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly sequencer: SequenceAuditLogUseCase,
    private readonly askCheckpoint: () => Promise<void>,
    private readonly ensurePartitions: () => Promise<void>,
    private readonly logger: Logger,
    private readonly options: AuditLogRunnerOptions,
  ) {}

  start(): void {
    this.loops = [
      this.every(this.options.sequenceEveryMs, async () => {
        await this.sequencer.run();
      }),
      this.every(this.options.checkpointEveryMs, this.askCheckpoint),
      this.every(this.options.partitionsEveryMs, this.ensurePartitions),
    ];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  private async every(ms: number, work: () => Promise<void>): Promise<void> {
    while (!this.stopping) {
      try {
        await work();
      } catch (e) {
        this.logger.error({ err: e }, 'audit log background work failed');
      }
      await this.sleep(ms);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
