import type { AuditEntry } from './audit-log.port.js';

/** A sequenced entry as stored: its leaf hash and the previous entry's (hex), as the sequencer wrote them. */
export interface LedgerEntry {
  entry: AuditEntry & { seq: number };
  hash: string | null;
  prevHash: string | null;
}

/** Which entries an evidence bundle is about (any combination; at least one). */
export interface EvidenceSelection {
  /** Entries the person made (actor) or that are about them (entity person/<id>). */
  personId?: string;
  /** Entries about one application. */
  applicationId?: string;
  from?: Date;
  to?: Date;
}

/** A perfect subtree of the tree's frontier: its leaf count and root (hex). */
export interface FrontierHex {
  size: number;
  hash: string;
}

/** A month archived (`hall audit archive`) and its rows removed, as `audit_archives` records it. */
export interface ArchiveRecord {
  month: string;
  firstSeq: number;
  lastSeq: number;
  /** Entries in the archive file (seq firstSeq..lastSeq). */
  entries: number;
  /** Rows the month's partition held when it was dropped. */
  rowsRemoved: number;
  /** The tree's frontier at lastSeq. */
  frontier: FrontierHex[];
  /** The leaf hash of lastSeq (hex; null for an empty tree). */
  lastHash: string | null;
  fileName: string;
  fileSha256: string;
  checkpointId: number;
  archivedBy: string;
  archivedAt: Date;
}

/**
 * The audit log as the leaves of its Merkle tree (docs/audit.md): entries are written without a
 * place, and the sequencer gives each committed one the next seq and its leaf hash.
 */
export interface AuditLedger {
  /**
   * Gives committed entries that have none the next seqs, in commit order, with the leaf hash
   * `leafHash` computes (hex) and the previous entry's; at most `limit` in one go. One sequencer
   * runs at a time across instances: while another holds it, waits for it with `wait`, else
   * returns at once with `busy`.
   */
  sequence(o: {
    leafHash: (entry: AuditEntry & { seq: number }) => string;
    limit: number;
    wait: boolean;
  }): Promise<{ sequenced: number; size: number; busy: boolean }>;
  /** How many entries are sequenced (the largest seq, archived ones included; 0 for none). */
  size(): Promise<number>;
  /** The months archived, oldest first: seq 1..(the last one's lastSeq) are no longer in the database. */
  archives(): Promise<ArchiveRecord[]>;
  /**
   * Makes sure the partitions of these months (`YYYY-MM`) exist, creating those that do not;
   * returns those it created. A month already archived is not created again.
   */
  ensurePartitions(months: readonly string[]): Promise<string[]>;
  /** Committed entries still without a seq. */
  unsequenced(): Promise<number>;
  /** The sequenced entries with seq in [fromSeq, toSeq], in seq order (a missing seq is simply absent). */
  read(o: { fromSeq: number; toSeq: number }): Promise<LedgerEntry[]>;
  /** The sequenced entries with these seqs, in seq order. */
  readMany(seqs: readonly number[]): Promise<LedgerEntry[]>;
  /** The stored leaf hashes (hex) of seq fromSeq..toSeq, in seq order ('' for a missing one). */
  leafHashes(fromSeq: number, toSeq: number): Promise<string[]>;
  /** The seqs (after minSeq, at most maxSeq), in order, of the entries the selection names; at most `limit`. */
  select(o: EvidenceSelection & { minSeq?: number; maxSeq: number; limit: number }): Promise<number[]>;
}
