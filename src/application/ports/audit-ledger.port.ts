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
  /** How many entries are sequenced (the largest seq; 0 for none). */
  size(): Promise<number>;
  /** Committed entries still without a seq. */
  unsequenced(): Promise<number>;
  /** The sequenced entries with seq in [fromSeq, toSeq], in seq order (a missing seq is simply absent). */
  read(o: { fromSeq: number; toSeq: number }): Promise<LedgerEntry[]>;
  /** The sequenced entries with these seqs, in seq order. */
  readMany(seqs: readonly number[]): Promise<LedgerEntry[]>;
  /** The stored leaf hashes (hex) of seq 1..n, in seq order. */
  leafHashes(n: number): Promise<string[]>;
  /** The seqs (at most maxSeq), in order, of the entries the selection names; at most `limit`. */
  select(o: EvidenceSelection & { maxSeq: number; limit: number }): Promise<number[]>;
}
