import type { Knex } from 'knex';
import { RoleFiling, type RoleFilingProps, type RoleFilingState } from '../../../domain/people/role-filing.js';
import type { RoleFilings } from '../../../application/ports/role-assignments.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { newestFirstPage } from './cursor.js';
import { jsonb } from './jsonb.js';

interface Row {
  id: string;
  subject: string;
  role: string;
  unit_key: string;
  items: RoleFilingProps['items'];
  reason: string;
  certification_id: string | null;
  state: RoleFilingState;
  filed_by: string;
  filed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
}

const toDomain = (r: Row): RoleFiling =>
  RoleFiling.restore({
    id: r.id,
    subject: r.subject,
    role: r.role,
    unit: r.unit_key,
    items: r.items,
    reason: r.reason,
    certificationId: r.certification_id,
    state: r.state,
    filedBy: r.filed_by,
    filedAt: r.filed_at.toISOString(),
    decision:
      r.decided_by && r.decided_at
        ? { by: r.decided_by, at: r.decided_at.toISOString(), comment: r.decision_comment }
        : null,
  });

const toRow = (p: RoleFilingProps) => ({
  id: p.id,
  subject: p.subject,
  role: p.role,
  unit_key: p.unit,
  items: jsonb(p.items),
  reason: p.reason,
  certification_id: p.certificationId,
  state: p.state,
  filed_by: p.filedBy,
  filed_at: new Date(p.filedAt),
  decided_by: p.decision?.by ?? null,
  decided_at: p.decision ? new Date(p.decision.at) : null,
  decision_comment: p.decision?.comment ?? null,
});

/** Role filings (备案) in `role_filings`. */
export class KnexRoleFilings implements RoleFilings {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  private rows() {
    return this.db<Row>('role_filings');
  }

  async add(filing: RoleFiling): Promise<void> {
    await this.db('role_filings').insert(toRow(filing.snapshot()));
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<RoleFiling | null> {
    const q = this.rows().where({ id }).first();
    const row = options.forUpdate ? await q.forUpdate() : await q;
    return row ? toDomain(row as Row) : null;
  }

  async save(filing: RoleFiling): Promise<void> {
    const { id, ...rest } = toRow(filing.snapshot());
    await this.db('role_filings').where({ id }).update(rest);
  }

  async list(o: {
    states?: RoleFilingState[];
    units: string[] | 'all';
    subject?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<RoleFiling>> {
    if (o.units !== 'all' && !o.units.length) return { items: [], nextCursor: null };
    const q = this.rows();
    if (o.states?.length) q.whereIn('state', o.states);
    if (o.units !== 'all') q.whereIn('unit_key', o.units);
    if (o.subject) q.where({ subject: o.subject });
    const page = await newestFirstPage<Row>(q, 'filed_at', (r) => r.filed_at, o);
    return { items: page.rows.map(toDomain), nextCursor: page.nextCursor };
  }
}
