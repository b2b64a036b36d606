import { generateKeyPairSync, sign } from 'node:crypto';
import type { AuditEntry } from '../../src/application/ports/audit-log.port.js';
import type {
  ArchiveRecord,
  AuditLedger,
  EvidenceSelection,
  LedgerEntry,
} from '../../src/application/ports/audit-ledger.port.js';
import type {
  AuditCheckpoints,
  CheckpointKeys,
  CheckpointSigner,
  CheckpointSink,
  StoredCheckpoint,
} from '../../src/application/ports/audit-checkpoints.port.js';
import { noteKeyId, verifierKeyOf } from '../../src/adapters/driven/audit/ed25519-checkpoint-keys.js';
import { toHex } from '../../src/domain/audit/checkpoint.js';

/**
 * The audit log's leaves in memory, as the knex ledger keeps them: entries are added without a seq
 * (`write`), and `sequence` numbers them in the order written. `busy` makes the next
 * non-waiting sequence return as if another instance held the lock.
 */
export class InMemoryAuditLedger implements AuditLedger {
  rows: Array<{ entry: AuditEntry; hash: string | null; prevHash: string | null }> = [];
  busy = false;

  write(...entries: Array<Omit<AuditEntry, 'seq' | 'id'> & { id?: string }>): void {
    for (const e of entries)
      this.rows.push({
        entry: { ...e, id: e.id ?? globalThis.crypto.randomUUID(), seq: null },
        hash: null,
        prevHash: null,
      });
  }

  async sequence(o: {
    leafHash: (entry: AuditEntry & { seq: number }) => string;
    limit: number;
    wait: boolean;
  }): Promise<{ sequenced: number; size: number; busy: boolean }> {
    if (this.busy && !o.wait) return { sequenced: 0, size: 0, busy: true };
    let size = await this.size();
    let previous = this.rows.find((r) => r.entry.seq === size)?.hash ?? null;
    const pending = this.rows.filter((r) => r.entry.seq === null).slice(0, o.limit);
    for (const r of pending) {
      r.entry = { ...r.entry, seq: ++size };
      r.hash = o.leafHash(r.entry as AuditEntry & { seq: number });
      r.prevHash = previous;
      previous = r.hash;
    }
    return { sequenced: pending.length, size, busy: false };
  }

  async size(): Promise<number> {
    return Math.max(0, ...this.rows.map((r) => r.entry.seq ?? 0));
  }

  async unsequenced(): Promise<number> {
    return this.rows.filter((r) => r.entry.seq === null).length;
  }

  private sequenced(): LedgerEntry[] {
    return this.rows
      .filter((r) => r.entry.seq !== null)
      .map((r) => structuredClone(r) as LedgerEntry)
      .sort((a, b) => a.entry.seq - b.entry.seq);
  }

  async read(o: { fromSeq: number; toSeq: number }): Promise<LedgerEntry[]> {
    return this.sequenced().filter((r) => r.entry.seq >= o.fromSeq && r.entry.seq <= o.toSeq);
  }

  async readMany(seqs: readonly number[]): Promise<LedgerEntry[]> {
    return this.sequenced().filter((r) => seqs.includes(r.entry.seq));
  }

  async leafHashes(fromSeq: number, toSeq: number): Promise<string[]> {
    const out = new Array<string>(Math.max(0, toSeq - fromSeq + 1)).fill('');
    for (const r of this.sequenced())
      if (r.entry.seq >= fromSeq && r.entry.seq <= toSeq) out[r.entry.seq - fromSeq] = r.hash ?? '';
    return out;
  }

  /** Nothing is archived in memory. */
  async archives(): Promise<ArchiveRecord[]> {
    return [];
  }

  async ensurePartitions(): Promise<string[]> {
    return [];
  }

  async select(o: EvidenceSelection & { minSeq?: number; maxSeq: number; limit: number }): Promise<number[]> {
    return this.sequenced()
      .map((r) => r.entry)
      .filter(
        (e) =>
          e.seq > (o.minSeq ?? 0) &&
          e.seq <= o.maxSeq &&
          (!o.personId || e.actorId === o.personId || (e.entityType === 'person' && e.entityId === o.personId)) &&
          (!o.applicationId || (e.entityType === 'application' && e.entityId === o.applicationId)) &&
          (!o.from || e.at >= o.from) &&
          (!o.to || e.at < o.to),
      )
      .map((e) => e.seq)
      .slice(0, o.limit);
  }

  /** What an administrator could do to the stored rows (for the verification's tests). */
  edit(seq: number, change: (r: { entry: AuditEntry; hash: string | null }) => void): void {
    change(this.rows.find((r) => r.entry.seq === seq)!);
  }
}

export class InMemoryAuditCheckpoints implements AuditCheckpoints {
  rows: StoredCheckpoint[] = [];

  async append(c: Omit<StoredCheckpoint, 'id'>): Promise<StoredCheckpoint> {
    const row = { ...c, id: this.rows.length + 1 };
    this.rows.push(row);
    return row;
  }

  async latest(): Promise<StoredCheckpoint | null> {
    return [...this.rows].sort((a, b) => b.treeSize - a.treeSize || b.id - a.id)[0] ?? null;
  }

  async list(): Promise<StoredCheckpoint[]> {
    return [...this.rows].sort((a, b) => a.treeSize - b.treeSize || a.id - b.id);
  }
}

/** Ed25519 checkpoint keys held in memory (new ones on rotation), named after the origin. */
export class InMemoryCheckpointKeys implements CheckpointKeys {
  private current: CheckpointSigner;
  private readonly retired: string[] = [];

  constructor(private readonly origin = 'hall.test/audit-log') {
    this.current = this.make();
  }

  private make(): CheckpointSigner {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const raw = new Uint8Array(der.subarray(der.length - 32));
    const keyId = noteKeyId(this.origin, raw);
    return {
      keyName: this.origin,
      keyId: toHex(keyId),
      verifierKey: verifierKeyOf(this.origin, raw),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      sign: (body) => ({
        keyName: this.origin,
        keyId,
        signature: new Uint8Array(sign(null, Buffer.from(body, 'utf8'), privateKey)),
      }),
    };
  }

  async signer(): Promise<CheckpointSigner> {
    return this.current;
  }

  async verifierKeys(): Promise<string[]> {
    return [this.current.verifierKey, ...this.retired];
  }

  async rotate(): Promise<{ retiredKeyId: string | null; keyId: string }> {
    const old = this.current;
    this.retired.push(old.verifierKey);
    this.current = this.make();
    return { retiredKeyId: old.keyId, keyId: this.current.keyId };
  }
}

export class InMemoryCheckpointSink implements CheckpointSink {
  notes: string[] = [];
  async publish(note: string): Promise<void> {
    this.notes.push(note);
  }
}
