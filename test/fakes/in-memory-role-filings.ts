import { RoleFiling, type RoleFilingProps, type RoleFilingState } from '../../src/domain/people/role-filing.js';
import type { RoleFilings } from '../../src/application/ports/role-assignments.port.js';
import type { Page } from '../../src/application/ports/service-item.repository.port.js';
import type { HallState } from './in-memory-database.js';
import { newestFirst } from './newest-first.js';

/** Role filings in memory, as KnexRoleFilings keeps them. */
export class InMemoryRoleFilings implements RoleFilings {
  constructor(private readonly state: HallState) {}

  async add(filing: RoleFiling): Promise<void> {
    this.state.roleFilings.set(filing.id, filing.snapshot());
  }

  async findById(id: string): Promise<RoleFiling | null> {
    const p = this.state.roleFilings.get(id);
    return p ? RoleFiling.restore(p) : null;
  }

  async save(filing: RoleFiling): Promise<void> {
    if (this.state.roleFilings.has(filing.id)) this.state.roleFilings.set(filing.id, filing.snapshot());
  }

  async list(o: {
    states?: RoleFilingState[];
    units: string[] | 'all';
    subject?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<RoleFiling>> {
    const rows = [...this.state.roleFilings.values()].filter(
      (x: RoleFilingProps) =>
        (!o.states?.length || o.states.includes(x.state)) &&
        (o.units === 'all' || o.units.includes(x.unit)) &&
        (!o.subject || x.subject === o.subject),
    );
    const page = newestFirst(rows, (x) => x.filedAt, o);
    return { items: page.rows.map((p) => RoleFiling.restore(p)), nextCursor: page.nextCursor };
  }
}
