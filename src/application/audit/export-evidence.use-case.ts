import { fromHex, toBase64, toHex } from '../../domain/audit/checkpoint.js';
import { ProofBuilder } from '../../domain/audit/merkle.js';
import { ConflictError, InputError, NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { AuditLedger, EvidenceSelection } from '../ports/audit-ledger.port.js';
import type { CheckpointKeys, NoteVerifier } from '../ports/audit-checkpoints.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { AuditCheckpointsUseCase } from './audit-checkpoints.use-case.js';
import { archivedPrefix, hashFnOf, leafHashHex } from './audit-tree.js';
import { BUNDLE_FORMAT, bundleEntry, bundleText, selectionOf, type BundleEntry } from './evidence-bundle.js';

export interface EvidenceExport {
  /** The bundle file's text (JSON lines). */
  text: string;
  /** A file name for it. */
  fileName: string;
  entries: number;
  treeSize: number;
  keyId: string;
}

/** At most this many entries in one bundle: a wider question is split by time. */
export const MAX_EVIDENCE_ENTRIES = 20_000;

/**
 * Evidence export (取证) for the IT Center: the entries by or about a person, about an application,
 * and/or within a time range, each with its inclusion proof against a signed checkpoint (published
 * now if the latest does not cover every entry), in a bundle `hall audit verify-bundle` checks
 * offline. Each entry is checked against its leaf before it goes out: a log altered since it was
 * sequenced is refused, not exported.
 */
export class ExportEvidenceUseCase {
  constructor(
    private readonly deps: {
      ledger: AuditLedger;
      keys: CheckpointKeys;
      notes: NoteVerifier;
      sha256: Sha256;
      clock: Clock;
      enforcer: PolicyEnforcer;
      checkpoints: AuditCheckpointsUseCase;
    },
  ) {}

  async execute(
    input: EvidenceSelection & { actor: Actor },
  ): Promise<Result<EvidenceExport, NotAllowedError | InputError | ConflictError>> {
    const { actor, ...selection } = input;
    if (
      !(await this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'audit', action: 'export' }))
    )
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only auditors and the IT Office export audit evidence'));
    if (!selection.personId && !selection.applicationId && !selection.from && !selection.to)
      return err(
        new InputError('AUDIT.EVIDENCE_UNSCOPED', 'say what the evidence is about', [
          { path: '/personId', message: 'give a person, an application, or a time range (from, to)' },
        ]),
      );
    if (selection.from && selection.to && selection.from >= selection.to)
      return err(
        new InputError('AUDIT.BAD_RANGE', 'the time range is empty', [{ path: '/to', message: 'must be after from' }]),
      );

    const published = await this.deps.checkpoints.publish();
    if (!published.ok) return published;
    const cp = published.value.checkpoint;
    // entries of months archived are in their archive files (whose proofs `hall audit verify-archive` checks)
    const base = await archivedPrefix(this.deps.ledger);
    const seqs = await this.deps.ledger.select({
      ...selection,
      minSeq: base.size,
      maxSeq: cp.treeSize,
      limit: MAX_EVIDENCE_ENTRIES + 1,
    });
    if (seqs.length > MAX_EVIDENCE_ENTRIES)
      return err(
        new InputError('AUDIT.EVIDENCE_TOO_LARGE', `more than ${MAX_EVIDENCE_ENTRIES} entries: narrow the question`, [
          { path: '/from', message: 'narrow the time range' },
        ]),
      );

    const h = hashFnOf(this.deps.sha256);
    const leaves = (await this.deps.ledger.leafHashes(base.size + 1, cp.treeSize)).map(
      (x) => fromHex(x) ?? new Uint8Array(32),
    );
    const proofs = new ProofBuilder(h, leaves, base.frontier);
    if (toHex(proofs.root()) !== cp.rootHash) return err(this.altered(`its checkpoint of ${cp.treeSize} entries`));
    const entries: BundleEntry[] = [];
    for (const row of await this.deps.ledger.readMany(seqs)) {
      const seq = row.entry.seq;
      if (leafHashHex(this.deps.sha256, row.entry) !== toHex(leaves[seq - 1 - base.size]!))
        return err(this.altered(`seq ${seq}`));
      entries.push(bundleEntry(row.entry, proofs.proof(seq - 1).map(toBase64)));
    }
    if (entries.length !== seqs.length) return err(this.altered('the entries selected'));

    const key = await this.keyOf(cp.keyId);
    const exportedAt = this.deps.clock.now();
    const header = {
      section: 'bundle' as const,
      format: BUNDLE_FORMAT,
      origin: key.keyName,
      exportedAt: exportedAt.toISOString(),
      exportedBy: actor.personId,
      selection: selectionOf(selection),
      treeSize: cp.treeSize,
      entries: entries.length,
    };
    const text = bundleText({ header, note: cp.note, verifierKey: key.verifierKey, keyId: cp.keyId, entries });
    const about = selection.personId ?? selection.applicationId ?? 'range';
    const stamp = exportedAt.toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
    return ok({
      text,
      fileName: `audit-evidence-${about}-${stamp}.jsonl`.replace(/[^\w.-]/g, '_'),
      entries: entries.length,
      treeSize: cp.treeSize,
      keyId: cp.keyId,
    });
  }

  /** The verifier key that signed a checkpoint (the current key, or a retired one). */
  private async keyOf(keyId: string): Promise<{ verifierKey: string; keyName: string }> {
    for (const verifierKey of await this.deps.keys.verifierKeys()) {
      const d = this.deps.notes.describeKey(verifierKey);
      if (d.ok && d.keyId === keyId) return { verifierKey, keyName: d.keyName };
    }
    throw new Error(`the key ${keyId} that signed the latest checkpoint is not among the checkpoint keys`);
  }

  private altered(what: string): ConflictError {
    return new ConflictError(
      'AUDIT.LOG_ALTERED',
      `the audit log does not match ${what}: it was altered, and no evidence is exported from it (run \`hall audit verify\`)`,
    );
  }
}
