import type { Knex } from 'knex';
import type { Organisation, Person, Role, Unit } from '../../../application/ports/organisation.port.js';

interface PersonRow { id: string; name: string; type: Person['type']; unit_key: string; status: Person['status']; email: string | null }
const toPerson = (r: PersonRow): Person => ({ id: r.id, name: r.name, type: r.type, unit: r.unit_key, status: r.status, email: r.email });

export class KnexOrganisation implements Organisation {
  constructor(private readonly knex: Knex) {}

  async units(): Promise<Unit[]> {
    const rows = await this.knex('units').select('key', 'code', 'name', 'name_en', 'kind').orderBy('key');
    return rows.map((r: { key: string; code: string; name: string; name_en: string | null; kind: Unit['kind'] }) =>
      ({ key: r.key, code: r.code, name: r.name, nameEn: r.name_en, kind: r.kind }));
  }

  async roles(): Promise<Role[]> {
    return this.knex('roles').select('key', 'name', 'scope').orderBy('key');
  }

  async person(id: string): Promise<Person | null> {
    const row = await this.knex<PersonRow>('people').where({ id }).first();
    return row ? toPerson(row) : null;
  }

  async people(ids: readonly string[]): Promise<Person[]> {
    if (!ids.length) return [];
    const rows = await this.knex<PersonRow>('people').whereIn('id', [...new Set(ids)]);
    return rows.map(toPerson);
  }
}
