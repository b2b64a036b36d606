import type { Absence, Absences } from '../../src/application/ports/absences.port.js';
import type { Directory } from '../../src/application/ports/directory.port.js';
import type {
  EmploymentStatus,
  Organisation,
  Person,
  Role,
  Unit,
} from '../../src/application/ports/organisation.port.js';
import type { PersonnelRecords } from '../../src/application/ports/personnel.port.js';
import type { RoleAssignment } from '../../src/application/ports/policy-enforcer.port.js';
import type {
  CertificationRecord,
  Certifications,
  HeldRole,
  RoleAssignments,
} from '../../src/application/ports/role-assignments.port.js';
import type { HallState, InMemoryDatabase } from './in-memory-database.js';

/**
 * Units, roles and people as KnexOrganisation reads them, including who stands in for whom on a
 * day. `view` is the state it reads: a transaction's working copy (the scope's organisation), or
 * the committed state through the pool (`InMemoryOrganisation.onPool`), which a unit of work refuses.
 */
export class InMemoryOrganisation implements Organisation {
  constructor(private readonly view: () => HallState) {}

  static onPool(db: InMemoryDatabase): InMemoryOrganisation {
    return new InMemoryOrganisation(() => {
      db.refuseInsideTransaction('the organisation on the pool');
      return db.state;
    });
  }

  async units(): Promise<Unit[]> {
    return structuredClone(this.view().units).sort((a, b) => a.key.localeCompare(b.key));
  }

  async roles(): Promise<Role[]> {
    return structuredClone(this.view().roles).sort((a, b) => a.key.localeCompare(b.key));
  }

  async person(id: string): Promise<Person | null> {
    return structuredClone(this.view().people.get(id) ?? null);
  }

  async people(ids: readonly string[]): Promise<Person[]> {
    const people = this.view().people;
    return [...new Set(ids)].flatMap((id) => (people.has(id) ? [structuredClone(people.get(id)!)] : []));
  }

  async onDuty(ids: readonly string[], day: string): Promise<{ people: Person[]; substitutes: Map<string, string> }> {
    const s = this.view();
    const found = new Map<string, Person>();
    const substitutes = new Map<string, string>();
    for (const id of new Set(ids)) {
      const p = s.people.get(id);
      if (!p) continue;
      found.set(id, structuredClone(p));
      const away = s.absences.get(id);
      const sub = away && away.from <= day && away.to >= day ? s.people.get(away.substituteId) : undefined;
      if (sub) {
        substitutes.set(id, sub.id);
        found.set(sub.id, structuredClone(sub));
      }
    }
    return { people: [...found.values()], substitutes };
  }
}

/** One absence per person (set replaces it), as the absences table keyed by person. */
export class InMemoryAbsences implements Absences {
  constructor(private readonly state: HallState) {}

  async set(a: Absence): Promise<void> {
    this.state.absences.set(a.personId, structuredClone(a));
  }

  async clear(personId: string): Promise<boolean> {
    return this.state.absences.delete(personId);
  }
}

export class InMemoryPersonnelRecords implements PersonnelRecords {
  constructor(private readonly state: HallState) {}

  async all(): Promise<Person[]> {
    return structuredClone([...this.state.people.values()]).sort((a, b) => a.id.localeCompare(b.id));
  }

  async upsert(person: Person): Promise<void> {
    this.state.people.set(person.id, structuredClone(person));
  }

  async setStatus(personId: string, status: EmploymentStatus): Promise<void> {
    const p = this.state.people.get(personId);
    if (p) p.status = status;
  }

  async endSessions(personId: string, at: Date): Promise<number> {
    const live = this.state.sessions.filter((x) => x.personId === personId && x.endedAt === null && x.expiresAt > at);
    for (const x of live) x.endedAt = at;
    return live.length;
  }
}

const same = (a: RoleAssignment, b: RoleAssignment) =>
  a.subject === b.subject && a.role === b.role && a.unit === b.unit;

/** The `g` rows of casbin_rule: a grant of a held role and a revoke of one not held change nothing and say so. */
export class InMemoryRoleAssignments implements RoleAssignments {
  constructor(private readonly state: HallState) {}

  async grant(a: RoleAssignment, from: { filingId: string | null } = { filingId: null }): Promise<boolean> {
    if (this.state.roleAssignments.some((x) => same(x, a))) return false;
    this.state.roleAssignments.push({ subject: a.subject, role: a.role, unit: a.unit, filingId: from.filingId });
    return true;
  }

  async revoke(a: RoleAssignment): Promise<boolean> {
    const before = this.state.roleAssignments.length;
    this.state.roleAssignments = this.state.roleAssignments.filter((x) => !same(x, a));
    return this.state.roleAssignments.length < before;
  }

  async list(o: { subject?: string; unit?: string; role?: string }): Promise<HeldRole[]> {
    return this.state.roleAssignments
      .filter(
        (x) =>
          (!o.subject || x.subject === o.subject) && (!o.role || x.role === o.role) && (!o.unit || x.unit === o.unit),
      )
      .map((x) => ({ subject: x.subject, role: x.role, unit: x.unit, filingId: x.filingId ?? null }))
      .sort(
        (a, b) => a.unit.localeCompare(b.unit) || a.role.localeCompare(b.role) || a.subject.localeCompare(b.subject),
      );
  }
}

export class InMemoryCertifications implements Certifications {
  constructor(private readonly state: HallState) {}

  async add(c: CertificationRecord): Promise<void> {
    this.state.certifications.push(structuredClone(c));
  }

  async of(personId: string): Promise<CertificationRecord[]> {
    return structuredClone(this.state.certifications.filter((c) => c.personId === personId));
  }
}

/** The university directory (LDAP or an HR export): a list of people, or a failure to read it. */
export class FakeDirectory implements Directory {
  constructor(
    public entries: Person[] = [],
    public failure: Error | null = null,
  ) {}

  async people(): Promise<Person[]> {
    if (this.failure) throw this.failure;
    return structuredClone(this.entries);
  }
}
