import type { Knex } from 'knex';
import type { AuditEntry } from '../../../application/ports/audit-log.port.js';
import type { AuditLedger, EvidenceSelection, LedgerEntry } from '../../../application/ports/audit-ledger.port.js';

/** The advisory lock (transaction-level) the sequencer holds while it numbers entries. */
const SEQUENCER_LOCK = 0x4155_4454; // 'AUDT'

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
      const head = (await trx.raw(
        'SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1',
      )) as { rows: Array<{ seq: number; hash: string | null }> };
      let size = head.rows[0]?.seq ?? 0;
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
    const r = (await this.db.raw('SELECT max(seq) AS size FROM audit_log')) as { rows: Array<{ size: number | null }> };
    return r.rows[0]?.size ?? 0;
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

  async leafHashes(n: number): Promise<string[]> {
    const r = (await this.db.raw('SELECT seq, hash FROM audit_log WHERE seq BETWEEN 1 AND ? ORDER BY seq', [n])) as {
      rows: Array<{ seq: number; hash: string | null }>;
    };
    // a missing seq leaves a hole that matches nothing
    const out = new Array<string>(n).fill('');
    for (const row of r.rows) out[row.seq - 1] = row.hash ?? '';
    return out;
  }

  async select(o: EvidenceSelection & { maxSeq: number; limit: number }): Promise<number[]> {
    const q = this.db('audit_log').select('seq').whereNotNull('seq').where('seq', '<=', o.maxSeq).orderBy('seq');
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
