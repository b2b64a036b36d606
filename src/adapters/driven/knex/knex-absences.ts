import type { Knex } from 'knex';
import type { Absence, Absences } from '../../../application/ports/absences.port.js';

export class KnexAbsences implements Absences {
  constructor(private readonly knex: Knex | Knex.Transaction) {}

  async set(a: Absence, at: Date): Promise<void> {
    await this.knex('absences')
      .insert({
        person_id: a.personId,
        substitute_id: a.substituteId,
        from_date: a.from,
        to_date: a.to,
        updated_at: at,
      })
      .onConflict('person_id')
      .merge(['substitute_id', 'from_date', 'to_date', 'updated_at']);
  }

  async clear(personId: string): Promise<boolean> {
    return (await this.knex('absences').where({ person_id: personId }).delete()) > 0;
  }
}
