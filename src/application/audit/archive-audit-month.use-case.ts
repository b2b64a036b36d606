import { addMonths, isMonth, monthEnd, monthStart, retentionOver } from '../../domain/audit/audit-month.js';
import { fromHex, toHex } from '../../domain/audit/checkpoint.js';
import { alignedSubtrees, treeRoot, TreeBuilder } from '../../domain/audit/merkle.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { LedgerEntry } from '../ports/audit-ledger.port.js';
import type { CheckpointKeys, NoteVerifier } from '../ports/audit-checkpoints.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { ARCHIVE_FORMAT, archiveText } from './archive-file.js';
import { frontierHex, frontierOf, hashFnOf, leafHashHex } from './audit-tree.js';
import type { SequenceAuditLogUseCase } from './sequence-audit-log.use-case.js';

export interface AuditArchive {
  month: string;
  firstSeq: number;
  lastSeq: number;
  entries: number;
  rowsRemoved: number;
  fileName: string;
  fileSha256: string;
  checkpointTreeSize: number;
  keyId: string;
}

type ArchiveError = NotAllowedError | InputError | NotFoundError | ConflictError;

/**
 * `hall audit archive --month YYYY-MM`: a month of the audit log older than the retention
 * (AUDIT_RETENTION_MONTHS, at least 6) leaves the database whole. In one transaction, with the
 * sequencer held off and the month's partition locked: the month's entries (seq firstSeq..lastSeq,
 * the next after the last archive) are checked against their leaves and, with the stored leaves after
 * them, against the smallest signed checkpoint covering them, written to the archive file with the tree's frontier before and after
 * them, recorded in `audit_archives` with the file's SHA-256, audited (`audit.archived`), and the
 * partition is detached and dropped. The tree in the database then starts from that frontier.
 *
 * Refused, changing nothing: a month younger than the retention, a month with an entry not yet
 * sequenced, one not covered by a checkpoint, one with no partition, one already archived, one
 * after a month not yet archived, and a log that no longer matches its leaves or its checkpoint.
 */
export class ArchiveAuditMonthUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      keys: CheckpointKeys;
      notes: NoteVerifier;
      sha256: Sha256;
      clock: Clock;
      enforcer: PolicyEnforcer;
      sequencer: SequenceAuditLogUseCase;
      retentionMonths: number;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    month: string;
    fileName: string;
    /** Writes the archive file: called in the transaction, before it commits (a failure rolls it back). */
    write: (text: string) => Promise<void>;
  }): Promise<Result<AuditArchive, ArchiveError>> {
    const { actor, month } = input;
    if (
      !(await this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'audit', action: 'archive' }))
    )
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only the IT Office archives months of the audit log'));
    if (!isMonth(month))
      return err(
        new InputError('AUDIT.BAD_MONTH', `'${month}' is not a month`, [
          { path: '/month', message: 'a month as YYYY-MM, e.g. 2026-04' },
        ]),
      );
    const now = this.deps.clock.now();
    const retention = this.deps.retentionMonths;
    if (!retentionOver(month, retention, now))
      return err(
        new ConflictError(
          'AUDIT.ARCHIVE_TOO_YOUNG',
          `${month} ended ${monthEnd(month).toISOString()}; audit entries are kept ${retention} months ` +
            `(AUDIT_RETENTION_MONTHS), so it may be archived from ${monthEnd(addMonths(month, retention)).toISOString()}`,
        ),
      );
    // every entry committed so far gets its seq first (the sequencer on the pool, before the transaction)
    await this.deps.sequencer.runToEnd();
    const h = hashFnOf(this.deps.sha256);
    const verifierKeys = await this.deps.keys.verifierKeys();

    return this.deps.uow.run(async (scope): Promise<Result<AuditArchive, ArchiveError>> => {
      const store = scope.auditArchives;
      await store.holdSequencer();
      const archives = await store.list();
      if (archives.some((a) => a.month === month))
        return err(new ConflictError('AUDIT.ALREADY_ARCHIVED', `${month} is archived already`));
      const partition = await store.lockPartition(month);
      if (!partition)
        return err(
          new NotFoundError(
            'AUDIT.UNKNOWN_MONTH',
            `the audit log has no partition for ${month}: there is nothing of that month to archive`,
          ),
        );
      const rows = await store.rowsOf(partition);
      if (rows.unsequenced > 0)
        return err(
          new ConflictError(
            'AUDIT.ARCHIVE_UNSEQUENCED',
            `${rows.unsequenced} entr${rows.unsequenced === 1 ? 'y' : 'ies'} of ${month} have no seq yet: they are sequenced first`,
          ),
        );
      const previous = archives[archives.length - 1];
      const firstSeq = (previous?.lastSeq ?? 0) + 1;
      const lastSeq = Math.max(rows.lastSeq ?? 0, firstSeq - 1);
      const earlier = await store.earlierUnarchived(monthStart(month), lastSeq);
      if (earlier > 0)
        return err(
          new ConflictError(
            'AUDIT.ARCHIVE_OUT_OF_ORDER',
            `${earlier} entr${earlier === 1 ? 'y' : 'ies'} of months before ${month} are not archived: archive those months first, oldest first`,
          ),
        );
      const checkpoint = await store.coveringCheckpoint(lastSeq);
      if (!checkpoint)
        return err(
          new ConflictError(
            'AUDIT.ARCHIVE_NOT_CHECKPOINTED',
            `no signed checkpoint covers seq ${lastSeq}, the last of ${month}: publish one (hall audit checkpoint) first`,
          ),
        );
      const signed = this.deps.notes.verify(checkpoint.note, verifierKeys);
      if (!signed.ok || signed.treeSize !== checkpoint.treeSize || toHex(signed.rootHash) !== checkpoint.rootHash)
        return err(this.altered(`checkpoint ${checkpoint.id} does not verify with the hall's keys`));

      // the entries, each recomputed; the tree from the previous archive's frontier through them
      const entries = await store.read(firstSeq, lastSeq);
      const gap = this.gapIn(entries, firstSeq, lastSeq);
      if (gap) return err(this.altered(gap));
      const before = previous ? frontierOf(previous.frontier) : [];
      if (!before) return err(this.altered(`the frontier recorded with ${previous!.month} is not readable`));
      const tree = TreeBuilder.fromFrontier(h, before);
      for (const row of entries) {
        const leaf = leafHashHex(this.deps.sha256, row.entry);
        if (leaf !== row.hash) return err(this.altered(`seq ${row.entry.seq} no longer hashes to its leaf`));
        tree.push(fromHex(leaf)!);
      }
      const frontier = tree.frontier();
      // and on to the checkpoint, through the stored leaves after the month: its signed root must come
      // out, or nothing is dropped (those entries themselves stay, and are verify's to recompute)
      const tailLeaves = (await store.leafHashes(lastSeq + 1, checkpoint.treeSize)).map(
        (x) => fromHex(x) ?? new Uint8Array(32),
      );
      const completion = alignedSubtrees(lastSeq, checkpoint.treeSize).map((s) => ({
        start: s.start,
        size: s.size,
        hash: treeRoot(h, tailLeaves.slice(s.start - lastSeq, s.start - lastSeq + s.size)),
      }));
      const full = TreeBuilder.fromFrontier(h, frontier);
      for (const c of completion) full.pushSubtree(c.hash, c.size);
      if (toHex(full.root()) !== checkpoint.rootHash)
        return err(this.altered(`the tree no longer has the root checkpoint ${checkpoint.id} signed`));

      const key = this.keyOf(checkpoint.keyId, verifierKeys);
      if (!key)
        return err(this.altered(`the key ${checkpoint.keyId} of checkpoint ${checkpoint.id} is not the hall's`));
      const text = archiveText({
        header: {
          section: 'archive',
          format: ARCHIVE_FORMAT,
          origin: key.keyName,
          month,
          firstSeq,
          lastSeq,
          entries: entries.length,
          treeSize: checkpoint.treeSize,
          archivedAt: now.toISOString(),
          archivedBy: actor.personId,
        },
        note: checkpoint.note,
        verifierKey: key.verifierKey,
        keyId: checkpoint.keyId,
        before,
        entries: entries.map((r) => r.entry),
        frontier,
        completion,
      });
      const fileSha256 = toHex(this.deps.sha256.digest(new TextEncoder().encode(text)));
      await input.write(text);

      const record = {
        month,
        firstSeq,
        lastSeq,
        entries: entries.length,
        rowsRemoved: rows.rows,
        frontier: frontierHex(frontier),
        lastHash: lastSeq >= firstSeq ? entries[entries.length - 1]!.hash : (previous?.lastHash ?? null),
        fileName: input.fileName,
        fileSha256,
        checkpointId: checkpoint.id,
        archivedBy: actor.personId,
        archivedAt: now,
      };
      await store.record(record);
      await recordChange(scope, {
        actor,
        action: 'audit.archived',
        entityType: 'audit-log',
        entityId: month,
        unit: null,
        before: null,
        after: {
          firstSeq,
          lastSeq,
          entries: entries.length,
          rowsRemoved: rows.rows,
          fileName: input.fileName,
          fileSha256,
          checkpointId: checkpoint.id,
        },
        at: now,
        event: { month, firstSeq, lastSeq, entries: entries.length, fileSha256 },
      });
      await store.dropPartition(partition);
      return ok({
        month,
        firstSeq,
        lastSeq,
        entries: entries.length,
        rowsRemoved: rows.rows,
        fileName: input.fileName,
        fileSha256,
        checkpointTreeSize: checkpoint.treeSize,
        keyId: checkpoint.keyId,
      });
    });
  }

  /** What is missing or out of place among entries that should be seq from..to, or null. */
  private gapIn(rows: readonly LedgerEntry[], from: number, to: number): string | null {
    for (let i = 0; i < rows.length; i++) if (rows[i]!.entry.seq !== from + i) return `seq ${from + i} is missing`;
    return rows.length === Math.max(0, to - from + 1) ? null : `seq ${from + rows.length} is missing`;
  }

  private keyOf(keyId: string, verifierKeys: readonly string[]): { verifierKey: string; keyName: string } | null {
    for (const verifierKey of verifierKeys) {
      const d = this.deps.notes.describeKey(verifierKey);
      if (d.ok && d.keyId === keyId) return { verifierKey, keyName: d.keyName };
    }
    return null;
  }

  private altered(what: string): ConflictError {
    return new ConflictError(
      'AUDIT.LOG_ALTERED',
      `${what}: the audit log was altered, and nothing is archived from it (run \`hall audit verify\`)`,
    );
  }
}
