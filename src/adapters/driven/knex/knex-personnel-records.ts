import type { Knex } from 'knex';
import type { EmploymentStatus, Person } from '../../../application/ports/organisation.port.js';
import type { PersonnelRecords } from '../../../application/ports/personnel.port.js';
import { revokeSessions } from '../session/session-revocation.js';

export class KnexPersonnelRecords implements PersonnelRecords {
  /** `ended`: told the ids of the sessions `endSessions` ended (the unit of work calls it after commit). */
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly ended?: (sessionIds: string[]) => void,
  ) {}

  async all(): Promise<Person[]> {
    const rows = (await this.db('people')
      .select('id', 'name', 'type', 'unit_key', 'status', 'email')
      .orderBy('id')) as Array<{
      id: string;
      name: string;
      type: Person['type'];
      unit_key: string;
      status: Person['status'];
      email: string | null;
    }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      unit: r.unit_key,
      status: r.status,
      email: r.email,
    }));
  }

  async upsert(p: Person, at: Date): Promise<void> {
    await this.db('people')
      .insert({
        id: p.id,
        name: p.name,
        type: p.type,
        unit_key: p.unit,
        status: p.status,
        email: p.email,
        created_at: at,
        updated_at: at,
      })
      .onConflict('id')
      .merge(['name', 'type', 'unit_key', 'status', 'email', 'updated_at']);
  }

  async setStatus(personId: string, status: EmploymentStatus, at: Date): Promise<void> {
    await this.db('people').where({ id: personId }).update({ status, updated_at: at });
  }

  async endSessions(personId: string, at: Date): Promise<number> {
    // the NOTIFY naming each ended session goes out when the offboarding transaction commits
    const ids = await revokeSessions(this.db, { personId }, at);
    if (ids.length) this.ended?.(ids);
    return ids.length;
  }
}
