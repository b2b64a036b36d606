import type { Knex } from 'knex';
import type { CaseNumberCounter } from '../../../application/ports/application.repository.port.js';

export class KnexCaseNumberCounter implements CaseNumberCounter {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async next(o: { year: number; unitCode: string }): Promise<number> {
    const r = await this.db.raw<{ rows: Array<{ last: number }> }>(
      `INSERT INTO case_number_counters (year, unit_code, last) VALUES (?, ?, 1)
       ON CONFLICT (year, unit_code) DO UPDATE SET last = case_number_counters.last + 1 RETURNING last`, [o.year, o.unitCode]);
    return r.rows[0]!.last;
  }
}
