import { fromHex, toBase64, toHex } from '../../domain/audit/checkpoint.js';
import { ProofBuilder, TreeBuilder } from '../../domain/audit/merkle.js';
import { ConflictError, InputError, NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { AuditLedger } from '../ports/audit-ledger.port.js';
import type { AuditCheckpoints, StoredCheckpoint } from '../ports/audit-checkpoints.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import { archivedPrefix, hashFnOf } from './audit-tree.js';

/**
 * A consistency proof between two sizes of the audit tree (RFC 9162 2.1.4), with the signed
 * checkpoints of both sizes: what `GET /api/v1/audit-checkpoints/consistency` answers and
 * `hall audit prove-consistency` writes, and what `hall audit verify-consistency` checks offline.
 */
export interface ConsistencyProofDocument {
  fromSize: number;
  toSize: number;
  /** Base64 root hashes of the trees of fromSize and toSize entries. */
  fromRoot: string;
  toRoot: string;
  /** Base64 hashes, SUBPROOF(fromSize, D[toSize], true) of RFC 9162 2.1.4.1 in its order. */
  proof: string[];
  /** The signed checkpoint of fromSize entries, when one was published (C2SP tlog-checkpoint note). */
  fromCheckpoint: string | null;
  /** The signed checkpoint of toSize entries. */
  toCheckpoint: string;
}

/**
 * Proves that the audit tree of one checkpoint extends the tree of a smaller size (an older
 * checkpoint someone kept): whoever holds the old signed root checks, offline, that the log only
 * grew since. The newer size must be that of a published checkpoint (the latest by default); the
 * proof comes from the stored leaves, which must still lead to the checkpoints' roots (an altered
 * log proves nothing and is refused, as an export is).
 */
export class ProveConsistencyUseCase {
  constructor(
    private readonly deps: {
      ledger: AuditLedger;
      checkpoints: AuditCheckpoints;
      sha256: Sha256;
      enforcer: PolicyEnforcer;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    from: number;
    to?: number;
  }): Promise<Result<ConsistencyProofDocument, NotAllowedError | InputError | ConflictError>> {
    const { actor, from } = input;
    if (!(await this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'audit', action: 'read' })))
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only auditors and the IT Office read the audit log'));
    const size = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
    const problems = [
      ...(size(from) ? [] : [{ path: '/from', message: 'must be a tree size: a whole number, 0 or more' }]),
      ...(input.to === undefined || size(input.to)
        ? []
        : [{ path: '/to', message: 'must be a tree size: a whole number, 0 or more' }]),
    ];
    if (problems.length) return err(new InputError('AUDIT.BAD_TREE_SIZE', 'not a tree size', problems));

    const stored = await this.deps.checkpoints.list();
    const latest = stored[stored.length - 1];
    const to = input.to ?? latest?.treeSize;
    if (to === undefined)
      return err(
        new InputError('AUDIT.NO_CHECKPOINT', 'no checkpoint has been published yet', [
          { path: '/to', message: 'there is no checkpoint to prove consistency with' },
        ]),
      );
    const treeSize = await this.deps.ledger.size();
    if (to > treeSize)
      return err(
        new InputError('AUDIT.BAD_TREE_SIZE', `the tree has ${treeSize} entries`, [
          { path: '/to', message: `must not exceed the tree's size, ${treeSize}` },
        ]),
      );
    if (from > to)
      return err(
        new InputError('AUDIT.BAD_RANGE', 'from is after to', [
          { path: '/from', message: `must not exceed to (${to})` },
        ]),
      );
    const ofSize = (n: number): StoredCheckpoint | undefined => stored.findLast((c) => c.treeSize === n);
    const toCheckpoint = ofSize(to);
    if (!toCheckpoint)
      return err(
        new InputError('AUDIT.NO_CHECKPOINT', `no checkpoint of ${to} entries was published`, [
          {
            path: '/to',
            message: `must be the size of a published checkpoint (the latest is of ${latest?.treeSize ?? 0} entries)`,
          },
        ]),
      );
    const fromCheckpoint = ofSize(from) ?? null;

    // archived months: the tree goes on from the frontier recorded with the last archive
    const base = await archivedPrefix(this.deps.ledger);
    if (to < base.size)
      return err(
        new InputError('AUDIT.ARCHIVED', `the first ${base.size} entries are archived`, [
          { path: '/to', message: `must be at least ${base.size}: that checkpoint's entries are archived` },
        ]),
      );
    if (from > 0 && from < base.size)
      return err(
        new InputError('AUDIT.ARCHIVED', `the first ${base.size} entries are archived`, [
          {
            path: '/from',
            message: `must be 0 or at least ${base.size}: the entries before are archived (their archive file proves them)`,
          },
        ]),
      );
    const h = hashFnOf(this.deps.sha256);
    const leaves = (await this.deps.ledger.leafHashes(base.size + 1, to)).map((x) => fromHex(x) ?? new Uint8Array(32));
    const tree = new ProofBuilder(h, leaves, base.frontier);
    const toRoot = tree.root();
    const old = TreeBuilder.fromFrontier(h, from === 0 ? [] : base.frontier);
    if (from > 0) for (const leaf of leaves.slice(0, from - base.size)) old.push(leaf);
    const fromRoot = old.root();
    if (base.size + leaves.length !== to || toHex(toRoot) !== toCheckpoint.rootHash) return err(this.altered(to));
    if (fromCheckpoint && toHex(fromRoot) !== fromCheckpoint.rootHash) return err(this.altered(from));
    return ok({
      fromSize: from,
      toSize: to,
      fromRoot: toBase64(fromRoot),
      toRoot: toBase64(toRoot),
      proof: tree.consistencyProof(from).map(toBase64),
      fromCheckpoint: fromCheckpoint?.note ?? null,
      toCheckpoint: toCheckpoint.note,
    });
  }

  private altered(size: number): ConflictError {
    return new ConflictError(
      'AUDIT.LOG_ALTERED',
      `the audit log no longer matches its checkpoint of ${size} entries: it was altered, and it proves nothing (run \`hall audit verify\`)`,
    );
  }
}
