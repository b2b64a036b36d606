import { fromHex, toHex } from '../../domain/audit/checkpoint.js';
import { ProofBuilder, TreeBuilder, verifyConsistency } from '../../domain/audit/merkle.js';
import { InputError, NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { AuditLedger, LedgerEntry } from '../ports/audit-ledger.port.js';
import type { AuditCheckpoints, CheckpointKeys, NoteVerifier } from '../ports/audit-checkpoints.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import { archivedPrefix, hashFnOf, leafHashHex, READ_BATCH } from './audit-tree.js';
import type { SequenceAuditLogUseCase } from './sequence-audit-log.use-case.js';

export type AuditProblemKind =
  'altered' | 'moved' | 'missing' | 'chain' | 'checkpoint' | 'truncated' | 'signature' | 'inconsistent';

export interface AuditProblem {
  /** The entry at fault; null for a checkpoint that is bad in itself, or two that do not agree. */
  seq: number | null;
  /** For a checkpoint that no longer matches, or a cut tail: the last seq of the range at fault. */
  upTo?: number;
  kind: AuditProblemKind;
  message: string;
  /** Two checkpoints the log does not prove one extends the other ('inconsistent'): their tree sizes. */
  sizes?: { from: number; to: number };
}

export interface AuditVerification {
  ok: boolean;
  /** Entries in the tree now. */
  size: number;
  /** The seqs whose content was recomputed. */
  checked: { from: number; to: number; entries: number };
  checkpoints: { checked: number; latest: { treeSize: number; keyId: string } | null };
  /** The first entry that is not as it was sequenced (or the first of the range a checkpoint no longer matches). */
  firstBadSeq: number | null;
  /** The first problems found, in seq order (at most 100). */
  problems: AuditProblem[];
  /**
   * The months archived: seq 1..(the last lastSeq) are in their archive files, not in the database;
   * the tree is rebuilt from the frontier recorded with the last one.
   */
  archived: Array<{ month: string; firstSeq: number; lastSeq: number; entries: number; fileSha256: string }>;
}

const MAX_PROBLEMS = 100;

/**
 * `hall audit verify`: recomputes every leaf from its entry and the tree from its leaves, and checks
 * them against the stored hashes and against every signed checkpoint (those in the database and
 * those given from outside it). Names the first bad seq: an entry edited, deleted, inserted or
 * moved (its seq is in its leaf, so it no longer hashes to its place), and a tail cut off below
 * the last checkpoint. An alteration that also rewrote the stored hashes is still caught by the
 * first checkpoint that no longer matches, which bounds where it is. Each checkpoint must also be
 * consistent with the next one by size (RFC 9162 2.1.4): the consistency proof computed from the
 * recomputed leaves leads from one signed root to the other.
 */
export class VerifyAuditLogUseCase {
  constructor(
    private readonly deps: {
      ledger: AuditLedger;
      checkpoints: AuditCheckpoints;
      keys: CheckpointKeys;
      notes: NoteVerifier;
      sha256: Sha256;
      enforcer: PolicyEnforcer;
      sequencer: SequenceAuditLogUseCase;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    fromSeq?: number;
    toSeq?: number;
    /** Signed checkpoint notes kept outside the database (AUDIT_CHECKPOINT_FILE). */
    externalNotes?: string[];
  }): Promise<Result<AuditVerification, NotAllowedError | InputError>> {
    const { actor } = input;
    if (!(await this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'audit', action: 'read' })))
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only auditors and the IT Office verify the audit log'));
    if (input.fromSeq !== undefined && input.toSeq !== undefined && input.fromSeq > input.toSeq)
      return err(
        new InputError('AUDIT.BAD_RANGE', '--from is after --to', [{ path: '/from', message: 'must not exceed to' }]),
      );
    await this.deps.sequencer.runToEnd();
    const size = await this.deps.ledger.size();
    const problems: AuditProblem[] = [];
    const note = (p: AuditProblem) => {
      if (problems.length < MAX_PROBLEMS) problems.push(p);
    };

    // the checkpoints: each must be signed by one of the hall's keys and say what its row says
    const keys = await this.deps.keys.verifierKeys();
    const stored = await this.deps.checkpoints.list();
    const anchors: Array<{ treeSize: number; rootHash: string; source: string; root: Uint8Array }> = [];
    for (const c of stored) {
      const check = this.deps.notes.verify(c.note, keys);
      if (!check.ok) {
        note({ seq: null, kind: 'signature', message: `checkpoint ${c.id} (size ${c.treeSize}): ${check.reason}` });
        continue;
      }
      if (check.treeSize !== c.treeSize || toHex(check.rootHash) !== c.rootHash)
        note({
          seq: null,
          kind: 'signature',
          message: `checkpoint ${c.id}: its row does not say what its signed note says`,
        });
      anchors.push({
        treeSize: check.treeSize,
        rootHash: toHex(check.rootHash),
        source: `checkpoint ${c.id}`,
        root: check.rootHash,
      });
    }
    for (const [i, text] of (input.externalNotes ?? []).entries()) {
      const check = this.deps.notes.verify(text, keys);
      if (!check.ok) {
        note({ seq: null, kind: 'signature', message: `outside checkpoint ${i + 1}: ${check.reason}` });
        continue;
      }
      anchors.push({
        treeSize: check.treeSize,
        rootHash: toHex(check.rootHash),
        source: `outside checkpoint ${i + 1}`,
        root: check.rootHash,
      });
    }
    anchors.sort((a, b) => a.treeSize - b.treeSize);
    const last = stored[stored.length - 1];
    const anchored = Math.max(0, ...anchors.map((a) => a.treeSize));
    // the months archived: the tree starts from the frontier at the last archived seq
    const base = await archivedPrefix(this.deps.ledger);
    const from = Math.max(base.size + 1, input.fromSeq ?? 1);
    const to = Math.min(input.toSeq ?? Number.MAX_SAFE_INTEGER, Math.max(size, anchored));

    // an entry kept in the database with a seq inside an archived range (of a month after the one
    // archived, sequenced within its range): its archive file proves it; here it must still hash to its leaf
    if (base.size > 0)
      for (const row of await this.deps.ledger.read({ fromSeq: 1, toSeq: base.size }))
        if (leafHashHex(this.deps.sha256, row.entry) !== row.hash)
          note({
            seq: row.entry.seq,
            kind: 'altered',
            message: `seq ${row.entry.seq} (id ${row.entry.id}), kept in the database inside an archived range, does not hash to its leaf: the entry was altered`,
          });

    // the entries, in seq order, each recomputed; the tree built on the way
    const h = hashFnOf(this.deps.sha256);
    const tree = TreeBuilder.fromFrontier(h, base.frontier);
    /** Every leaf the tree got after the archived months, for the consistency proofs between the checkpoints. */
    const leaves: Uint8Array[] = [];
    const push = (leaf: Uint8Array) => {
      tree.push(leaf);
      leaves.push(leaf);
    };
    let next = 0;
    let goodUpTo = base.size;
    let previousHash: string | null = base.lastHash;
    let entries = 0;
    const checkAnchors = () => {
      while (next < anchors.length && anchors[next]!.treeSize <= tree.size) {
        const a = anchors[next++]!;
        // a checkpoint inside the archived months was checked when its month was archived
        if (a.treeSize !== tree.size) continue;
        if (toHex(tree.root()) === a.rootHash) goodUpTo = a.treeSize;
        else
          note({
            seq: goodUpTo + 1,
            upTo: a.treeSize,
            kind: 'checkpoint',
            message: `the first ${a.treeSize} entries no longer have the root ${a.source} signed: an entry in seq ${goodUpTo + 1}..${a.treeSize} was altered, removed, added or moved`,
          });
      }
    };
    checkAnchors();
    for (let lo = base.size + 1; lo <= size; lo += READ_BATCH) {
      const hi = Math.min(size, lo + READ_BATCH - 1);
      const rows = await this.deps.ledger.read({ fromSeq: lo, toSeq: hi });
      const bySeq = new Map(rows.map((r) => [r.entry.seq, r]));
      for (let seq = lo; seq <= hi; seq++) {
        const row = bySeq.get(seq);
        const inRange = seq >= from && seq <= to;
        if (!row) {
          if (inRange) note({ seq, kind: 'missing', message: `seq ${seq} is missing: the entry there was deleted` });
          previousHash = null;
          push(new Uint8Array(32));
        } else {
          const leaf = inRange ? this.checkEntry(row, previousHash, note) : row.hash;
          if (inRange) entries++;
          previousHash = row.hash;
          push(fromHex(leaf ?? '') ?? new Uint8Array(32));
        }
        checkAnchors();
      }
    }
    if (anchored > size && to > size)
      note({
        seq: size + 1,
        upTo: anchored,
        kind: 'truncated',
        message: `the log ends at seq ${size}, but a signed checkpoint covers ${anchored} entries: seq ${size + 1}..${anchored} were cut off`,
      });
    // each checkpoint and the next by size: the log's leaves must prove the later one extends the earlier
    const proofs = new ProofBuilder(h, leaves, base.frontier);
    for (let i = 0; i + 1 < anchors.length; i++) {
      const [a, b] = [anchors[i]!, anchors[i + 1]!];
      if (a.treeSize < base.size) continue; // inside the archived months: checked when they were archived
      if (b.treeSize > base.size + leaves.length) break; // a cut tail, reported as such
      const proof = proofs.consistencyProof(a.treeSize, b.treeSize);
      if (!verifyConsistency(h, a.treeSize, b.treeSize, a.root, b.root, proof))
        note({
          seq: null,
          kind: 'inconsistent',
          sizes: { from: a.treeSize, to: b.treeSize },
          message: `the checkpoints of ${a.treeSize} and ${b.treeSize} entries (${a.source}, ${b.source}) are not consistent: the log's leaves do not prove that the tree of ${b.treeSize} extends the tree of ${a.treeSize} (RFC 9162 consistency proof)`,
        });
    }
    problems.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    // a checkpoint that no longer matches points at a range; an entry found bad in it is more precise
    const precise = problems.filter((p) => p.seq !== null && p.kind !== 'checkpoint').map((p) => p.seq!);
    const ranges = problems
      .filter((p) => p.kind === 'checkpoint' && !precise.some((s) => s >= p.seq! && s <= p.upTo!))
      .map((p) => p.seq!);
    const candidates = [...precise, ...ranges];
    const firstBadSeq = candidates.length ? Math.min(...candidates) : null;
    return ok({
      ok: problems.length === 0,
      size,
      checked: { from, to: Math.min(to, size), entries },
      checkpoints: {
        checked: anchors.length,
        latest: last ? { treeSize: last.treeSize, keyId: last.keyId } : null,
      },
      firstBadSeq,
      problems,
      archived: base.archives.map((a) => ({
        month: a.month,
        firstSeq: a.firstSeq,
        lastSeq: a.lastSeq,
        entries: a.entries,
        fileSha256: a.fileSha256,
      })),
    });
  }

  /** The entry's leaf recomputed (what the tree gets), with what is wrong with it noted. */
  private checkEntry(row: LedgerEntry, previousHash: string | null, note: (p: AuditProblem) => void): string {
    const { entry } = row;
    const seq = entry.seq;
    const leaf = leafHashHex(this.deps.sha256, entry);
    if (leaf !== row.hash) {
      const at = (s: number) => leafHashHex(this.deps.sha256, { ...entry, seq: s });
      if (seq > 1 && at(seq - 1) === row.hash)
        note({
          seq: seq - 1,
          kind: 'moved',
          message: `the entry now at seq ${seq} (id ${entry.id}) was sequenced at seq ${seq - 1}: an entry was inserted before it, or the entries were renumbered`,
        });
      else if (at(seq + 1) === row.hash)
        note({
          seq,
          kind: 'moved',
          message: `the entry now at seq ${seq} (id ${entry.id}) was sequenced at seq ${seq + 1}: an entry before it was deleted and the rest renumbered`,
        });
      else
        note({
          seq,
          kind: 'altered',
          message: `seq ${seq} (id ${entry.id}) does not hash to its leaf: the entry was altered (or moved here)`,
        });
    } else if (seq > 1 && previousHash !== null && row.prevHash !== previousHash) {
      note({ seq, kind: 'chain', message: `seq ${seq} does not follow the entry before it: the order was changed` });
    }
    return leaf;
  }
}
