import type { Knex } from 'knex';
import type { Organisation, Person, Role, Unit } from '../../../application/ports/organisation.port.js';
import { prepared } from './prepared.js';

interface PersonRow {
  id: string;
  name: string;
  type: Person['type'];
  unit_key: string;
  status: Person['status'];
  email: string | null;
}
const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  name: r.name,
  type: r.type,
  unit: r.unit_key,
  status: r.status,
  email: r.email,
});

export class KnexOrganisation implements Organisation {
  constructor(private readonly knex: Knex | Knex.Transaction) {}

  async units(): Promise<Unit[]> {
    const rows = await this.knex('units').select('key', 'code', 'name', 'name_en', 'kind').orderBy('key');
    return rows.map((r: { key: string; code: string; name: string; name_en: string | null; kind: Unit['kind'] }) => ({
      key: r.key,
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      kind: r.kind,
    }));
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

  async onDuty(ids: readonly string[], day: string): Promise<{ people: Person[]; substitutes: Map<string, string> }> {
    if (!ids.length) return { people: [], substitutes: new Map() };
    const rows = (
      (await prepared(
        this.knex,
        `SELECT p.id, p.name, p.type, p.unit_key, p.status, p.email, ab.substitute_id,
        s.name AS s_name, s.type AS s_type, s.unit_key AS s_unit_key, s.status AS s_status, s.email AS s_email
      FROM people p
      LEFT JOIN absences ab ON ab.person_id = p.id AND ab.from_date <= ? AND ab.to_date >= ?
      LEFT JOIN people s ON s.id = ab.substitute_id
      WHERE p.id = ANY(?)`,
        [day, day, [...new Set(ids)]],
      )) as {
        rows: Array<
          PersonRow & {
            substitute_id: string | null;
            s_name: string | null;
            s_type: Person['type'] | null;
            s_unit_key: string | null;
            s_status: Person['status'] | null;
            s_email: string | null;
          }
        >;
      }
    ).rows;
    const people = new Map<string, Person>();
    const substitutes = new Map<string, string>();
    for (const r of rows) {
      people.set(r.id, toPerson(r));
      if (r.substitute_id && r.s_name !== null) {
        substitutes.set(r.id, r.substitute_id);
        people.set(
          r.substitute_id,
          toPerson({
            id: r.substitute_id,
            name: r.s_name,
            type: r.s_type!,
            unit_key: r.s_unit_key!,
            status: r.s_status!,
            email: r.s_email,
          }),
        );
      }
    }
    return { people: [...people.values()], substitutes };
  }
}
