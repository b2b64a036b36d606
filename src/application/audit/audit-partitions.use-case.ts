import { addMonths, monthOf } from '../../domain/audit/audit-month.js';
import type { AuditLedger } from '../ports/audit-ledger.port.js';
import type { Clock } from '../ports/clock.port.js';

/** This month's partition and the next ones are kept created ahead: this many months after this one. */
export const PARTITIONS_AHEAD = 3;

/**
 * The audit log's partitions ahead of time: the job worker makes sure, when it starts and every day,
 * that this month (UTC+8) and the next `PARTITIONS_AHEAD` have theirs, so that entries land in their
 * month's partition and not in the default one (a month's partition cannot be created while the
 * default partition holds entries of that month).
 */
export class AuditPartitionsUseCase {
  constructor(private readonly deps: { ledger: AuditLedger; clock: Clock }) {}

  /** The partitions created (those that were missing). */
  ensureAhead(): Promise<string[]> {
    const now = monthOf(this.deps.clock.now());
    return this.deps.ledger.ensurePartitions(Array.from({ length: PARTITIONS_AHEAD + 1 }, (_, i) => addMonths(now, i)));
  }
}
