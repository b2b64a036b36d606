import type { AuditLedger } from '../ports/audit-ledger.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { leafHashHex } from './audit-tree.js';

/**
 * The sequencer: gives every committed audit entry that has none its place in the tree (the next
 * seq, in commit order) and its leaf hash. Run by the job worker every second or so (`run`: skips
 * when another instance is at it), and before a checkpoint, a verification or an export
 * (`runToEnd`: waits for the other instance, then sequences what is left).
 */
export class SequenceAuditLogUseCase {
  constructor(
    private readonly deps: { ledger: AuditLedger; sha256: Sha256 },
    private readonly batch = 1000,
  ) {}

  run(): Promise<{ sequenced: number; size: number; busy: boolean }> {
    return this.loop(false);
  }

  async runToEnd(): Promise<{ sequenced: number; size: number }> {
    const { sequenced, size } = await this.loop(true);
    return { sequenced, size };
  }

  private async loop(wait: boolean): Promise<{ sequenced: number; size: number; busy: boolean }> {
    let sequenced = 0;
    for (;;) {
      const r = await this.deps.ledger.sequence({
        leafHash: (e) => leafHashHex(this.deps.sha256, e),
        limit: this.batch,
        wait,
      });
      sequenced += r.sequenced;
      if (r.busy || r.sequenced < this.batch) return { sequenced, size: r.size, busy: r.busy };
    }
  }
}
