import type { Knex } from 'knex';
import type {
  EvaluationExportFilings,
  EvaluationExportRecord,
  EvaluationExportRecords,
  EvaluationFormat,
} from '../../../application/ports/evaluation-figures.port.js';

interface Row {
  id: string;
  year: number;
  unit_key: string | null;
  format: EvaluationFormat;
  as_of: Date;
  provisional: boolean;
  sha256: string;
  size: number;
  exported_by: string;
  exported_at: Date;
}

const toRecord = (r: Row): EvaluationExportRecord => ({
  id: r.id,
  year: r.year,
  unitKey: r.unit_key,
  format: r.format,
  asOf: r.as_of,
  provisional: r.provisional,
  sha256: r.sha256,
  size: r.size,
  exportedBy: r.exported_by,
  exportedAt: r.exported_at,
});

/** Filings of evaluation exports, written in the unit of work's transaction. */
export class KnexEvaluationExportFilings implements EvaluationExportFilings {
  constructor(private readonly trx: Knex.Transaction) {}

  async add(r: EvaluationExportRecord): Promise<void> {
    await this.trx<Row>('evaluation_exports').insert({
      id: r.id,
      year: r.year,
      unit_key: r.unitKey,
      format: r.format,
      as_of: r.asOf,
      provisional: r.provisional,
      sha256: r.sha256,
      size: r.size,
      exported_by: r.exportedBy,
      exported_at: r.exportedAt,
    });
  }
}

/** Filings as read outside any unit of work, newest first. */
export class KnexEvaluationExportRecords implements EvaluationExportRecords {
  constructor(private readonly knex: Knex) {}

  async list(o: { year?: number; limit: number }): Promise<EvaluationExportRecord[]> {
    const q = this.knex<Row>('evaluation_exports').orderBy([
      { column: 'exported_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    if (o.year !== undefined) void q.where({ year: o.year });
    return ((await q.limit(o.limit)) as Row[]).map(toRecord);
  }

  async find(id: string): Promise<EvaluationExportRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const row = (await this.knex<Row>('evaluation_exports').where({ id }).first()) as Row | undefined;
    return row ? toRecord(row) : null;
  }
}
