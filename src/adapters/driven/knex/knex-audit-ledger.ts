import type { Knex } from 'knex';
import type { AuditEntry } from '../../../application/ports/audit-log.port.js';
import type {
  ArchiveRecord,
  AuditLedger,
  EvidenceSelection,
  LedgerEntry,
} from '../../../application/ports/audit-ledger.port.js';

/** The advisory lock (transaction-level) the sequencer holds while it numbers entries; an archive too. */
export const SEQUENCER_LOCK = 0x4155_4454; // 'AUDT'
/** The advisory lock (transaction-level) under which partitions are created, one instance at a time. */
const PARTITIONS_LOCK = 0x4155_5054; // 'AUPT'

/**
 * The last sequenced entry, in the table or (when the months that held it were archived) in
 * `audit_archives`: where the sequencer goes on from.
 */
const HEAD = `SELECT seq, hash FROM (
    (SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1)
    UNION ALL
    (SELECT last_seq AS seq, last_hash AS hash FROM audit_archives ORDER BY last_seq DESC LIMIT 1)
  ) h ORDER BY seq DESC LIMIT 1`;

interface ArchiveRow {
  month: string;
  first_seq: number;
  last_seq: number;
  entries: number;
  rows_removed: number;
  frontier: Array<{ size: number; hash: string }>;
  last_hash: string | null;
  file_name: string;
  file_sha256: string;
  checkpoint_id: number;
  archived_by: string;
  archived_at: Date;
}

export const archiveOf = (r: ArchiveRow): ArchiveRecord => ({
  month: r.month,
  firstSeq: Number(r.first_seq),
  lastSeq: Number(r.last_seq),
  entries: r.entries,
  rowsRemoved: r.rows_removed,
  frontier: r.frontier,
  lastHash: r.last_hash,
  fileName: r.file_name,
  fileSha256: r.file_sha256,
  checkpointId: Number(r.checkpoint_id),
  archivedBy: r.archived_by,
  archivedAt: r.archived_at,
});

interface Row {
  pos: number;
  seq: number | null;
  id: string;
  occurred_at: Date;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  unit_key: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  hash: string | null;
  prev_hash: string | null;
}

const COLUMNS =
  'pos, seq, id, occurred_at, actor_id, action, entity_type, entity_id, unit_key, before, after, request_id, hash, prev_hash';

export function entryOf(r: Row): AuditEntry {
  return {
    seq: r.seq,
    id: r.id,
    at: r.occurred_at,
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    unit: r.unit_key,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
  };
}

const ledgerEntry = (r: Row): LedgerEntry => ({
  entry: entryOf(r) as AuditEntry & { seq: number },
  hash: r.hash,
  prevHash: r.prev_hash,
});

/**
 * The audit log's Merkle leaves on PostgreSQL. Entries are inserted with a NULL seq (the unit of
 * work's one INSERT just before COMMIT, unchanged); the sequencer, in a short transaction of its
 * own under an advisory lock, numbers the committed ones after the largest seq in `pos` order and
 * writes each one's leaf hash: the one UPDATE the append-only trigger lets through.
 */
export class KnexAuditLedger implements AuditLedger {
  constructor(private readonly db: Knex) {}

  async sequence(o: {
    leafHash: (entry: AuditEntry & { seq: number }) => string;
    limit: number;
    wait: boolean;
  }): Promise<{ sequenced: number; size: number; busy: boolean }> {
    return this.db.transaction(async (trx) => {
      if (o.wait) await trx.raw('SELECT pg_advisory_xact_lock(?)', [SEQUENCER_LOCK]);
      else {
        const got = (await trx.raw('SELECT pg_try_advisory_xact_lock(?) AS got', [SEQUENCER_LOCK])) as {
          rows: Array<{ got: boolean }>;
        };
        if (!got.rows[0]!.got) return { sequenced: 0, size: 0, busy: true };
      }
      // a statement after the lock: its snapshot sees every sequencer run that committed before
      const head = (await trx.raw(HEAD)) as { rows: Array<{ seq: number; hash: string | null }> };
      let size = Number(head.rows[0]?.seq ?? 0);
      let previous = head.rows[0]?.hash ?? null;
      const rows = (
        (await trx.raw(`SELECT ${COLUMNS} FROM audit_log WHERE seq IS NULL ORDER BY pos LIMIT ?`, [o.limit])) as {
          rows: Row[];
        }
      ).rows;
      if (!rows.length) return { sequenced: 0, size, busy: false };
      const assigned = rows.map((r) => {
        const seq = ++size;
        const hash = o.leafHash({ ...entryOf(r), seq });
        const out = { pos: r.pos, seq, hash, prev_hash: previous };
        previous = hash;
        return out;
      });
      await trx.raw(
        `UPDATE audit_log SET seq = x.seq, hash = x.hash, prev_hash = x.prev_hash
         FROM jsonb_to_recordset(?::jsonb) AS x(pos bigint, seq bigint, hash text, prev_hash text)
         WHERE audit_log.pos = x.pos`,
        [JSON.stringify(assigned)],
      );
      return { sequenced: rows.length, size, busy: false };
    });
  }

  async size(): Promise<number> {
    const r = (await this.db.raw(HEAD)) as { rows: Array<{ seq: number }> };
    return Number(r.rows[0]?.seq ?? 0);
  }

  async archives(): Promise<ArchiveRecord[]> {
    return ((await this.db('audit_archives').orderBy('last_seq')) as ArchiveRow[]).map(archiveOf);
  }

  async ensurePartitions(months: readonly string[]): Promise<string[]> {
    return this.db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [PARTITIONS_LOCK]);
      const archived = new Set(
        ((await trx('audit_archives').whereIn('month', months).select('month')) as Array<{ month: string }>).map(
          (r) => r.month,
        ),
      );
      const created: string[] = [];
      for (const month of months) {
        if (archived.has(month)) continue;
        const name = `audit_log_y${month.replace('-', 'm')}`;
        const exists = (await trx.raw('SELECT to_regclass(?) IS NOT NULL AS e', [name])) as {
          rows: Array<{ e: boolean }>;
        };
        if (exists.rows[0]!.e) continue;
        await trx.raw('SELECT audit_log_create_partition(?::date)', [`${month}-01`]);
        created.push(name);
      }
      return created;
    });
  }

  async unsequenced(): Promise<number> {
    const r = (await this.db.raw('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL')) as {
      rows: Array<{ n: number }>;
    };
    return r.rows[0]!.n;
  }

  async read(o: { fromSeq: number; toSeq: number }): Promise<LedgerEntry[]> {
    const r = (await this.db.raw(`SELECT ${COLUMNS} FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq`, [
      o.fromSeq,
      o.toSeq,
    ])) as { rows: Row[] };
    return r.rows.map(ledgerEntry);
  }

  async readMany(seqs: readonly number[]): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    for (let i = 0; i < seqs.length; i += 5000) {
      const r = (await this.db.raw(`SELECT ${COLUMNS} FROM audit_log WHERE seq = ANY(?::bigint[]) ORDER BY seq`, [
        seqs.slice(i, i + 5000) as unknown as Knex.RawBinding,
      ])) as { rows: Row[] };
      out.push(...r.rows.map(ledgerEntry));
    }
    return out;
  }

  async leafHashes(fromSeq: number, toSeq: number): Promise<string[]> {
    const n = Math.max(0, toSeq - fromSeq + 1);
    const r = (await this.db.raw('SELECT seq, hash FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq', [
      fromSeq,
      toSeq,
    ])) as {
      rows: Array<{ seq: number; hash: string | null }>;
    };
    // a missing seq leaves a hole that matches nothing
    const out = new Array<string>(n).fill('');
    for (const row of r.rows) out[Number(row.seq) - fromSeq] = row.hash ?? '';
    return out;
  }

  async select(o: EvidenceSelection & { minSeq?: number; maxSeq: number; limit: number }): Promise<number[]> {
    const q = this.db('audit_log')
      .select('seq')
      .whereNotNull('seq')
      .where('seq', '>', o.minSeq ?? 0)
      .where('seq', '<=', o.maxSeq)
      .orderBy('seq');
    if (o.personId) {
      const person = o.personId;
      q.where((w) => w.where('actor_id', person).orWhere({ entity_type: 'person', entity_id: person }));
    }
    if (o.applicationId) q.where({ entity_type: 'application', entity_id: o.applicationId });
    if (o.from) q.where('occurred_at', '>=', o.from);
    if (o.to) q.where('occurred_at', '<', o.to);
    return ((await q.limit(o.limit)) as Array<{ seq: number }>).map((r) => r.seq);
  }
}
