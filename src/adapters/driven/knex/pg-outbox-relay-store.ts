import type { Knex } from 'knex';
import pg from 'pg';
import type {
  OutboxRecord,
  OutboxRelayStore,
  OutboxSinkAdmin,
  ParkedRecord,
  RelayLease,
  RelayProgress,
  SinkFigures,
} from '../../../application/ports/outbox-relay.port.js';

/** The first key of the relay's advisory locks (the second is the sink's name, hashed). */
const LOCK_CLASS = 0x0b0c;

type Row = {
  seq: string;
  id: string;
  topic: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
};

const toRecord = (r: Row): OutboxRecord => ({
  seq: Number(r.seq),
  id: r.id,
  topic: r.topic,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  payload: r.payload,
  occurredAt: r.occurred_at,
});

/**
 * The relay's cursor per sink (see migrations/20261203000000_outbox_relay.ts for how the snapshot
 * pair keeps seq gaps from losing events) and its lease: a session advisory lock on a connection
 * of its own, held for the relay's life. When the process dies or the connection breaks,
 * PostgreSQL ends the session and frees the lock at once, and another instance takes the sink
 * over from the committed cursor. Every read and write of the cursor goes through that same
 * connection, so a relay whose lock went with its connection cannot move the cursor any more.
 */
export class PgOutboxRelayStore implements OutboxRelayStore {
  constructor(
    private readonly knex: Knex,
    private readonly connectionString: string,
  ) {}

  async tryLease(sink: string): Promise<RelayLease | null> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'service-hall-outbox',
      keepAlive: true,
    });
    const lease = new PgRelayLease(sink, client);
    client.on('error', () => lease.lost());
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
        LOCK_CLASS,
        sink,
      ]);
      if (!rows[0]!.ok) {
        await client.end();
        return null;
      }
      // a holder cut off without a word (a network partition) frees the lock when the server ends
      // its idle session; a live relay is never idle this long (back-off ≤ 1 min, a batch ≤ 5 min)
      await client.query(`SET idle_session_timeout = '10min'`);
      await client.query('INSERT INTO outbox_sinks (sink) VALUES ($1) ON CONFLICT (sink) DO NOTHING', [sink]);
      return lease;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  }

  async figures(sinks: string[], now: Date): Promise<SinkFigures[]> {
    const out: SinkFigures[] = [];
    const known = (await this.knex('outbox_sinks').select('sink')).map((r: { sink: string }) => r.sink);
    for (const sink of [...new Set([...sinks, ...known])].sort()) {
      const { rows } = await this.knex.raw<{ rows: Array<Record<string, unknown>> }>(
        `
        WITH s AS (
          SELECT coalesce(x.lo_snapshot, '1:1:') AS lo, x.hi_snapshot AS hi, coalesce(x.last_seq, 0) AS last_seq,
                 coalesce(x.delivered_total, 0) AS delivered, x.last_delivered_at, x.last_error, x.last_error_at
          FROM (SELECT 1) one LEFT JOIN outbox_sinks x ON x.sink = :sink
        ), pending AS (
          SELECT o.occurred_at FROM outbox o, s
          WHERE o.txid >= pg_snapshot_xmin(s.lo) AND NOT pg_visible_in_snapshot(o.txid, s.lo)
            AND NOT (s.hi IS NOT NULL AND pg_visible_in_snapshot(o.txid, s.hi) AND o.seq <= s.last_seq)
            AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.sink = :sink AND p.seq = o.seq)
        )
        SELECT (SELECT count(*) FROM pending)::int AS backlog, (SELECT min(occurred_at) FROM pending) AS oldest,
               (SELECT count(*) FROM outbox_parked p WHERE p.sink = :sink)::int AS parked,
               s.delivered, s.last_delivered_at, s.last_error, s.last_error_at
        FROM s`,
        { sink },
      );
      const r = rows[0]!;
      const oldest = r.oldest as Date | null;
      out.push({
        sink,
        backlog: r.backlog as number,
        lagSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
        parked: r.parked as number,
        delivered: Number(r.delivered),
        lastDeliveredAt: (r.last_delivered_at as Date | null) ?? null,
        lastError: (r.last_error as string | null) ?? null,
        lastErrorAt: (r.last_error_at as Date | null) ?? null,
      });
    }
    return out;
  }

  async parked(sink: string | null): Promise<Array<ParkedRecord & { sink: string }>> {
    const rows = await this.knex('outbox_parked as p')
      .join('outbox as o', 'o.seq', 'p.seq')
      .modify((q) => {
        if (sink !== null) void q.where('p.sink', sink);
      })
      .orderBy(['p.sink', 'p.seq'])
      .select('p.sink', 'p.reason', 'p.parked_at', 'o.*');
    return rows.map((r: Row & { sink: string; reason: string; parked_at: Date }) => ({
      ...toRecord(r),
      sink: r.sink,
      reason: r.reason,
      parkedAt: r.parked_at,
    }));
  }

  async cleanUp(before: Date, sinks: string[]): Promise<number> {
    // only rows every configured and every known sink has delivered (visible in its lower snapshot)
    const { rowCount } = await this.knex.raw<{ rowCount: number }>(
      `
      DELETE FROM outbox o
      WHERE o.occurred_at < :before
        AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.seq = o.seq)
        AND NOT EXISTS (
          SELECT 1 FROM (SELECT sink FROM outbox_sinks UNION SELECT unnest(:sinks::text[])) n
          LEFT JOIN outbox_sinks s ON s.sink = n.sink
          WHERE s.sink IS NULL OR NOT pg_visible_in_snapshot(o.txid, s.lo_snapshot)
        )`,
      { before, sinks },
    );
    return rowCount;
  }
}

class PgRelayLease implements RelayLease {
  private gone = false;

  constructor(
    readonly sink: string,
    private readonly client: pg.Client,
  ) {}

  lost(): void {
    this.gone = true;
  }

  private async q<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.gone) throw new Error(`the relay of sink '${this.sink}' lost its lease (connection gone)`);
    return this.client.query<R>(sql, values);
  }

  async nextBatch(limit: number): Promise<OutboxRecord[]> {
    // at most two intervals: the open one, then (once it is done) the one up to now
    for (let i = 0; i < 2; i++) {
      await this.q(
        `UPDATE outbox_sinks SET hi_snapshot = pg_current_snapshot(), last_seq = 0 WHERE sink = $1 AND hi_snapshot IS NULL`,
        [this.sink],
      );
      const { rows } = await this.q<Row>(
        `
        SELECT o.seq, o.id, o.topic, o.aggregate_type, o.aggregate_id, o.payload, o.occurred_at
        FROM outbox o, outbox_sinks s
        WHERE s.sink = $1
          AND o.txid >= pg_snapshot_xmin(s.lo_snapshot) AND o.txid < pg_snapshot_xmax(s.hi_snapshot)
          AND pg_visible_in_snapshot(o.txid, s.hi_snapshot) AND NOT pg_visible_in_snapshot(o.txid, s.lo_snapshot)
          AND o.seq > s.last_seq
        ORDER BY o.seq
        LIMIT $2`,
        [this.sink, limit],
      );
      if (rows.length) return rows.map(toRecord);
      // the interval is delivered: everything its upper snapshot sees is now below the cursor
      await this.q(
        `UPDATE outbox_sinks SET lo_snapshot = hi_snapshot, hi_snapshot = NULL, last_seq = 0 WHERE sink = $1`,
        [this.sink],
      );
    }
    return [];
  }

  async blockedAggregates(keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const { rows } = await this.q<{ key: string }>(
      `SELECT DISTINCT aggregate_type || '/' || aggregate_id AS key FROM outbox_parked
       WHERE sink = $1 AND aggregate_type || '/' || aggregate_id = ANY($2::text[])`,
      [this.sink, keys],
    );
    return new Set(rows.map((r) => r.key));
  }

  async retryRequested(limit: number): Promise<ParkedRecord[]> {
    const { rows } = await this.q<Row & { reason: string; parked_at: Date }>(
      `SELECT o.seq, o.id, o.topic, o.aggregate_type, o.aggregate_id, o.payload, o.occurred_at, p.reason, p.parked_at
       FROM outbox_parked p JOIN outbox o ON o.seq = p.seq
       WHERE p.sink = $1 AND p.retry_requested_at IS NOT NULL
       ORDER BY p.seq LIMIT $2`,
      [this.sink, limit],
    );
    return rows.map((r) => ({ ...toRecord(r), reason: r.reason, parkedAt: r.parked_at }));
  }

  async commit(p: RelayProgress): Promise<void> {
    await this.q('BEGIN', []);
    try {
      if (p.throughSeq !== null) {
        await this.q(`UPDATE outbox_sinks SET last_seq = greatest(last_seq, $2) WHERE sink = $1`, [
          this.sink,
          p.throughSeq,
        ]);
      }
      if (p.delivered > 0) {
        await this.q(
          `UPDATE outbox_sinks SET delivered_total = delivered_total + $2, last_delivered_at = $3,
             last_error = NULL, last_error_at = NULL WHERE sink = $1`,
          [this.sink, p.delivered, p.at],
        );
      }
      for (const { record: r, reason } of p.parked) {
        // an event parked already keeps its first reason (a replay reads it again)
        await this.q(
          `INSERT INTO outbox_parked (sink, seq, aggregate_type, aggregate_id, reason, parked_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sink, seq) DO NOTHING`,
          [this.sink, r.seq, r.aggregateType, r.aggregateId, reason, p.at],
        );
      }
      if (p.unparked.length) {
        await this.q(`DELETE FROM outbox_parked WHERE sink = $1 AND seq = ANY($2::bigint[])`, [this.sink, p.unparked]);
      }
      for (const { seq, reason } of p.stillParked) {
        await this.q(`UPDATE outbox_parked SET reason = $3, retry_requested_at = NULL WHERE sink = $1 AND seq = $2`, [
          this.sink,
          seq,
          reason,
        ]);
      }
      await this.q('COMMIT', []);
    } catch (e) {
      if (!this.gone) await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async noteFailure(reason: string, at: Date): Promise<void> {
    await this.q(`UPDATE outbox_sinks SET last_error = $2, last_error_at = $3 WHERE sink = $1`, [
      this.sink,
      reason.slice(0, 500),
      at,
    ]);
  }

  async release(): Promise<void> {
    if (!this.gone)
      await this.client
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.sink])
        .catch(() => undefined);
    this.gone = true;
    await this.client.end().catch(() => undefined);
  }
}

/** `hall outbox retry|replay`: an operator's change to a sink's bookkeeping, in the unit of work's transaction. */
export class KnexOutboxSinkAdmin implements OutboxSinkAdmin {
  constructor(private readonly trx: Knex.Transaction) {}

  async requestRetry(sink: string | null, at: Date): Promise<number> {
    return this.trx('outbox_parked')
      .modify((q) => {
        if (sink !== null) void q.where({ sink });
      })
      .update({ retry_requested_at: at });
  }

  async rewind(sink: string, since: Date): Promise<number> {
    const first = await this.trx('outbox')
      .where('occurred_at', '>=', since)
      .min<{ x: string | null }>('txid as x')
      .first();
    if (!first?.x) return 0;
    await this.trx.raw(`INSERT INTO outbox_sinks (sink) VALUES (?) ON CONFLICT (sink) DO NOTHING`, [sink]);
    // the cursor's lower snapshot cut at X: it sees what it saw, less every transaction from X on,
    // so everything since `since` is sent again and nothing the sink has not had is skipped; the
    // interval in progress starts again (its delivered part goes again too: at least once)
    await this.trx.raw(
      `UPDATE outbox_sinks SET
         lo_snapshot = (
           SELECT (least(pg_snapshot_xmin(lo_snapshot), :x::xid8)::text || ':' ||
                   least(pg_snapshot_xmax(lo_snapshot), :x::xid8)::text || ':' ||
                   coalesce(string_agg(xip::text, ',' ORDER BY xip) FILTER (WHERE xip < :x::xid8), ''))::pg_snapshot
           FROM pg_snapshot_xip(lo_snapshot) xip),
         hi_snapshot = NULL, last_seq = 0
       WHERE sink = :sink`,
      { x: first.x, sink },
    );
    const { rows } = await this.trx.raw<{ rows: Array<{ n: number }> }>(
      `SELECT count(*)::int AS n FROM outbox o, outbox_sinks s
       WHERE s.sink = ? AND o.txid >= pg_snapshot_xmin(s.lo_snapshot) AND NOT pg_visible_in_snapshot(o.txid, s.lo_snapshot)`,
      [sink],
    );
    return rows[0]!.n;
  }
}
