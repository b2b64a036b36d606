import type { Knex } from 'knex';
import type { EmploymentStatus } from '../../../application/ports/organisation.port.js';
import type { PersonnelRecords } from '../../../application/ports/personnel.port.js';

export class KnexPersonnelRecords implements PersonnelRecords {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async setStatus(personId: string, status: EmploymentStatus, at: Date): Promise<void> {
    await this.db('people').where({ id: personId }).update({ status, updated_at: at });
  }

  async endSessions(personId: string, at: Date): Promise<number> {
    return this.db('sessions').where({ person_id: personId }).whereNull('revoked_at').update({ revoked_at: at });
  }
}
