import type { Knex } from 'knex';
import type { AuditArchiveStore, MonthRows } from '../../../application/ports/audit-archives.port.js';
import type { ArchiveRecord, LedgerEntry } from '../../../application/ports/audit-ledger.port.js';
import type { StoredCheckpoint } from '../../../application/ports/audit-checkpoints.port.js';
import { archiveOf, entryOf, SEQUENCER_LOCK } from './knex-audit-ledger.js';

const COLUMNS =
  'pos, seq, id, occurred_at, actor_id, action, entity_type, entity_id, unit_key, before, after, request_id, hash, prev_hash';

/** The partition of a month (`YYYY-MM`): audit_log_y2026m11. */
export const partitionName = (month: string): string => `audit_log_y${month.replace('-', 'm')}`;

/**
 * The archival of a month in its transaction: the sequencer's advisory lock, the month's partition
 * locked, the record in `audit_archives`, and the partition detached and dropped (which needs the
 * table's owner: the role the migrations run as).
 */
export class KnexAuditArchives implements AuditArchiveStore {
  constructor(private readonly trx: Knex.Transaction) {}

  async holdSequencer(): Promise<void> {
    await this.trx.raw('SELECT pg_advisory_xact_lock(?)', [SEQUENCER_LOCK]);
  }

  async lockPartition(month: string): Promise<string | null> {
    const name = partitionName(month);
    const r = (await this.trx.raw(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_log'::regclass AND c.relname = ?`,
      [name],
    )) as { rows: Array<{ relname: string }> };
    if (!r.rows.length) return null;
    await this.trx.raw(`LOCK TABLE ${name} IN SHARE MODE`);
    return name;
  }

  async list(): Promise<ArchiveRecord[]> {
    return ((await this.trx('audit_archives').orderBy('last_seq')) as Parameters<typeof archiveOf>[0][]).map(archiveOf);
  }

  async rowsOf(partition: string): Promise<MonthRows> {
    const r = (await this.trx.raw(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE seq IS NULL)::int AS unsequenced, max(seq) AS last
         FROM ${partition}`,
    )) as { rows: Array<{ rows: number; unsequenced: number; last: string | number | null }> };
    const row = r.rows[0]!;
    return { rows: row.rows, unsequenced: row.unsequenced, lastSeq: row.last === null ? null : Number(row.last) };
  }

  async earlierUnarchived(start: Date, lastSeq: number): Promise<number> {
    const r = (await this.trx.raw(
      `SELECT count(*)::int AS n FROM audit_log
        WHERE occurred_at < ? AND (seq IS NULL OR seq <= ?) AND tableoid <> 'audit_log_default'::regclass`,
      [start, lastSeq],
    )) as { rows: Array<{ n: number }> };
    return r.rows[0]!.n;
  }

  async read(fromSeq: number, toSeq: number): Promise<LedgerEntry[]> {
    const r = (await this.trx.raw(`SELECT ${COLUMNS} FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq`, [
      fromSeq,
      toSeq,
    ])) as { rows: Parameters<typeof entryOf>[0][] };
    return r.rows.map((row) => ({
      entry: { ...entryOf(row), seq: Number(row.seq) },
      hash: row.hash,
      prevHash: row.prev_hash,
    }));
  }

  async leafHashes(fromSeq: number, toSeq: number): Promise<string[]> {
    const out = new Array<string>(Math.max(0, toSeq - fromSeq + 1)).fill('');
    const r = (await this.trx.raw('SELECT seq, hash FROM audit_log WHERE seq BETWEEN ? AND ?', [fromSeq, toSeq])) as {
      rows: Array<{ seq: number | string; hash: string | null }>;
    };
    for (const row of r.rows) out[Number(row.seq) - fromSeq] = row.hash ?? '';
    return out;
  }

  async coveringCheckpoint(seq: number): Promise<StoredCheckpoint | null> {
    const row = (await this.trx('audit_checkpoints')
      .where('tree_size', '>=', seq)
      .orderBy([
        { column: 'tree_size', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .first()) as
      | { id: number; tree_size: number; root_hash: string; key_id: string; note: string; published_at: Date }
      | undefined;
    return row
      ? {
          id: Number(row.id),
          treeSize: Number(row.tree_size),
          rootHash: row.root_hash,
          keyId: row.key_id,
          note: row.note,
          publishedAt: row.published_at,
        }
      : null;
  }

  async record(a: ArchiveRecord): Promise<void> {
    await this.trx('audit_archives').insert({
      month: a.month,
      first_seq: a.firstSeq,
      last_seq: a.lastSeq,
      entries: a.entries,
      rows_removed: a.rowsRemoved,
      frontier: JSON.stringify(a.frontier),
      last_hash: a.lastHash,
      file_name: a.fileName,
      file_sha256: a.fileSha256,
      checkpoint_id: a.checkpointId,
      archived_by: a.archivedBy,
      archived_at: a.archivedAt,
    });
  }

  async dropPartition(partition: string): Promise<void> {
    await this.trx.raw(`ALTER TABLE audit_log DETACH PARTITION ${partition}`);
    await this.trx.raw(`DROP TABLE ${partition}`);
  }
}
