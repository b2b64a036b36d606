import { checkpointBody, fromHex, signedNote, toHex } from '../../domain/audit/checkpoint.js';
import { TreeBuilder } from '../../domain/audit/merkle.js';
import { ConflictError, NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { AuditLedger } from '../ports/audit-ledger.port.js';
import type {
  AuditCheckpoints,
  CheckpointKeys,
  CheckpointSink,
  StoredCheckpoint,
} from '../ports/audit-checkpoints.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import { archivedPrefix, hashFnOf } from './audit-tree.js';
import type { SequenceAuditLogUseCase } from './sequence-audit-log.use-case.js';

export interface PublishedCheckpoint {
  checkpoint: StoredCheckpoint;
  /** False when the latest checkpoint already covered every entry (it is returned instead). */
  published: boolean;
}

/**
 * Signed checkpoints of the audit tree (C2SP tlog-checkpoint): published on a schedule by the job
 * worker, on demand by `hall audit checkpoint` and before an export. A new checkpoint is signed only
 * when the tree it covers still extends the latest one (same root over the latest one's size), so a
 * log altered since then is refused, not signed over.
 */
export class AuditCheckpointsUseCase {
  constructor(
    private readonly deps: {
      ledger: AuditLedger;
      checkpoints: AuditCheckpoints;
      keys: CheckpointKeys;
      sink: CheckpointSink | null;
      sha256: Sha256;
      clock: Clock;
      enforcer: PolicyEnforcer;
      sequencer: SequenceAuditLogUseCase;
    },
  ) {}

  /** The scheduled publication (no one in particular asks for it). */
  async publish(): Promise<Result<PublishedCheckpoint, ConflictError>> {
    await this.deps.sequencer.runToEnd();
    const size = await this.deps.ledger.size();
    const latest = await this.deps.checkpoints.latest();
    if (latest && latest.treeSize === size) return ok({ checkpoint: latest, published: false });
    // the months archived are their frontier; the tree goes on from there
    const base = await archivedPrefix(this.deps.ledger);
    const leaves = (await this.deps.ledger.leafHashes(base.size + 1, size)).map((h) => fromHex(h) ?? new Uint8Array());
    const tree = TreeBuilder.fromFrontier(hashFnOf(this.deps.sha256), base.frontier);
    if (latest && tree.size === latest.treeSize && toHex(tree.root()) !== latest.rootHash)
      return err(this.tampered(latest));
    for (const leaf of leaves) {
      tree.push(leaf);
      if (latest && tree.size === latest.treeSize && toHex(tree.root()) !== latest.rootHash)
        return err(this.tampered(latest));
    }
    if (latest && latest.treeSize > size) return err(this.tampered(latest));
    const rootHash = tree.root();
    const signer = await this.deps.keys.signer();
    const checkpoint = { origin: signer.keyName, treeSize: size, rootHash };
    const note = signedNote(checkpoint, [signer.sign(checkpointBody(checkpoint))]);
    const stored = await this.deps.checkpoints.append({
      treeSize: size,
      rootHash: toHex(rootHash),
      keyId: signer.keyId,
      note,
      publishedAt: this.deps.clock.now(),
    });
    await this.deps.sink?.publish(note);
    return ok({ checkpoint: stored, published: true });
  }

  /** `hall audit checkpoint`: whoever reads the audit log may have a checkpoint published now. */
  async publishAs(actor: Actor): Promise<Result<PublishedCheckpoint, ConflictError | NotAllowedError>> {
    if (!(await this.mayRead(actor)))
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only auditors and the IT Office publish audit checkpoints'));
    return this.publish();
  }

  /**
   * `hall audit rotate-key`: a new signing key for the checkpoints to come; the retired key's public
   * key stays, so the checkpoints it signed still verify. Only who may export evidence rotates it.
   */
  async rotateKey(actor: Actor): Promise<Result<{ retiredKeyId: string | null; keyId: string }, NotAllowedError>> {
    if (
      !(await this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'audit', action: 'export' }))
    )
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only the IT Office and auditors rotate the checkpoint key'));
    return ok(await this.deps.keys.rotate());
  }

  private mayRead(actor: Actor): Promise<boolean> {
    return this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'audit', action: 'read' });
  }

  private tampered(latest: StoredCheckpoint): ConflictError {
    return new ConflictError(
      'AUDIT.LOG_ALTERED',
      `the audit log no longer matches its checkpoint of ${latest.treeSize} entries: it was altered; ` +
        'no checkpoint is signed over it (run `hall audit verify` to find the first bad entry)',
    );
  }
}
