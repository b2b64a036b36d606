import type { ArchiveRecord, LedgerEntry } from './audit-ledger.port.js';
import type { StoredCheckpoint } from './audit-checkpoints.port.js';

/** What a month's partition holds when it is to be archived. */
export interface MonthRows {
  rows: number;
  unsequenced: number;
  /** The largest seq in it (null when none is sequenced). */
  lastSeq: number | null;
}

/**
 * The archival of a month of the audit log (`hall audit archive`), bound to the transaction that
 * records it and drops the month's partition: every read of it sees the log as that transaction does.
 */
export interface AuditArchiveStore {
  /** Holds the sequencer off until the transaction ends (it waits for one at work). */
  holdSequencer(): Promise<void>;
  /** The month's partition, locked against writes until the transaction ends; null when there is none. */
  lockPartition(month: string): Promise<string | null>;
  /** The months archived, oldest first. */
  list(): Promise<ArchiveRecord[]>;
  rowsOf(partition: string): Promise<MonthRows>;
  /**
   * Entries of the months' partitions before `start` that are not sequenced, or sequenced at or
   * before `lastSeq` (the default partition, never archived, is not counted).
   */
  earlierUnarchived(start: Date, lastSeq: number): Promise<number>;
  /** The sequenced entries with seq in [fromSeq, toSeq], wherever they are, in seq order. */
  read(fromSeq: number, toSeq: number): Promise<LedgerEntry[]>;
  /** The stored leaf hashes (hex) of seq fromSeq..toSeq, in seq order ('' for a missing one). */
  leafHashes(fromSeq: number, toSeq: number): Promise<string[]>;
  /** The smallest signed checkpoint whose tree holds `seq` (ties: the first published). */
  coveringCheckpoint(seq: number): Promise<StoredCheckpoint | null>;
  record(a: ArchiveRecord): Promise<void>;
  /** Detaches the partition from the log and drops it. */
  dropPartition(partition: string): Promise<void>;
}
