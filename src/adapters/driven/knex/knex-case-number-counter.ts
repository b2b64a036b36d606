import type { Knex } from 'knex';
import type { CaseNumberCounter } from '../../../application/ports/application.repository.port.js';

export class KnexCaseNumberCounter implements CaseNumberCounter {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** The unit's code is looked up in the same statement (a unit without one counts under its key). */
  async next(o: { year: number; unit: string }): Promise<{ seq: number; unitCode: string }> {
    const r = await this.db.raw<{ rows: Array<{ last: number; unit_code: string }> }>(
      `INSERT INTO case_number_counters (year, unit_code, last) VALUES (?, coalesce((SELECT code FROM units WHERE key = ?), ?), 1)
       ON CONFLICT (year, unit_code) DO UPDATE SET last = case_number_counters.last + 1 RETURNING last, unit_code`,
      [o.year, o.unit, o.unit],
    );
    return { seq: r.rows[0]!.last, unitCode: r.rows[0]!.unit_code };
  }
}
