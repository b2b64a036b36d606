import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DataRead, ReadTrail } from '../../../application/ports/read-trail.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { decodeSeqCursor, encodeCursor } from './cursor.js';

interface ReadRow {
  id: string;
  at: Date;
  reader_id: string;
  subject_id: string;
  application_id: string;
  what: DataRead['what'];
  detail: string | null;
  request_id: string | null;
}

/**
 * The read trail in `data_reads`. A read is kept in memory and written with the others of the
 * moment in one INSERT every `flushMs` (250 ms), on a pool connection of its own, never in the
 * reader's transaction, so tracing costs a read no round trip.
 * A write that fails keeps its reads for the next (up to `maxKept`; beyond, the oldest are dropped
 * and logged). What is kept when the process is killed outright (at most one `flushMs`) is lost;
 * a stop writes it first.
 */
export class KnexReadTrail implements ReadTrail {
  private kept: DataRead[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Knex,
    private readonly o: { logger?: Logger; flushMs?: number; maxKept?: number } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), o.flushMs ?? 250);
    this.timer.unref();
  }

  record(read: DataRead): void {
    this.kept.push(read);
    const max = this.o.maxKept ?? 100_000;
    if (this.kept.length > max) {
      const dropped = this.kept.splice(0, this.kept.length - max);
      this.o.logger?.error({ dropped: dropped.length }, 'read trail: reads dropped, the database takes none');
    }
    // never written from here: a read happens inside its unit of work, and the trail writes on a
    // connection of its own, from its timer (started outside any unit of work)
  }

  /** Writes what is kept; one write at a time, so reads go in the order they came. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.kept.length) return;
      const batch = this.kept;
      this.kept = [];
      try {
        await this.db.raw(
          `INSERT INTO data_reads (at, reader_id, subject_id, application_id, what, detail, request_id)
           SELECT at, reader_id, subject_id, application_id, what, detail, request_id
           FROM jsonb_to_recordset(?::jsonb) AS x(at timestamptz, reader_id text, subject_id text, application_id uuid, what text, detail text, request_id text)`,
          [
            JSON.stringify(
              batch.map((r) => ({
                at: r.at.toISOString(),
                reader_id: r.readerId,
                subject_id: r.subjectId,
                application_id: r.applicationId,
                what: r.what,
                detail: r.detail ?? null,
                request_id: r.requestId ?? null,
              })),
            ),
          ],
        );
      } catch (e) {
        this.kept = [...batch, ...this.kept];
        this.o.logger?.warn({ err: e, kept: this.kept.length }, 'read trail: write failed, kept for the next');
      }
    });
    return this.writing;
  }

  /** Writes what is kept and stops the timer. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  async list(o: { subjectId: string; limit: number; cursor?: string }): Promise<Page<DataRead & { id: string }>> {
    const q = this.db<ReadRow>('data_reads')
      .where('subject_id', o.subjectId)
      .orderBy('id', 'desc')
      .limit(o.limit + 1);
    if (o.cursor) q.where('id', '<', decodeSeqCursor(o.cursor));
    const rows = (await q) as ReadRow[];
    const page = rows.slice(0, o.limit);
    return {
      items: page.map((r) => ({
        id: String(r.id),
        at: r.at,
        readerId: r.reader_id,
        subjectId: r.subject_id,
        applicationId: r.application_id,
        what: r.what,
        detail: r.detail,
        requestId: r.request_id,
      })),
      nextCursor: rows.length > o.limit ? encodeCursor(String(page.at(-1)!.id)) : null,
    };
  }
}
