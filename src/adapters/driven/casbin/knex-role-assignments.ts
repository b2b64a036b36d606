import type { Knex } from 'knex';
import type { RoleAssignment } from '../../../application/ports/policy-enforcer.port.js';
import type { RoleAssignments } from '../../../application/ports/role-assignments.port.js';

/** Channel on which every instance hears that the policy changed (NOTIFY is delivered on commit). */
export const POLICY_CHANNEL = 'hall_policy_changed';

export class KnexRoleAssignments implements RoleAssignments {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async grant(a: RoleAssignment): Promise<boolean> {
    const rows = await this.db('casbin_rule').insert({ ptype: 'g', v0: a.subject, v1: a.role, v2: a.unit })
      .onConflict(['ptype', 'v0', 'v1', 'v2', 'v3', 'v4', 'v5']).ignore().returning('id');
    if (rows.length) await this.notify();
    return rows.length > 0;
  }

  async revoke(a: RoleAssignment): Promise<boolean> {
    const n = await this.db('casbin_rule').where({ ptype: 'g', v0: a.subject, v1: a.role, v2: a.unit, v3: '', v4: '', v5: '' }).delete();
    if (n) await this.notify();
    return n > 0;
  }

  async list(o: { subject?: string; unit?: string; role?: string }): Promise<RoleAssignment[]> {
    const q = this.db('casbin_rule').where({ ptype: 'g' }).select('v0', 'v1', 'v2').orderBy(['v2', 'v1', 'v0']);
    if (o.subject) q.where('v0', o.subject);
    if (o.role) q.where('v1', o.role);
    if (o.unit) q.where('v2', o.unit);
    return (await q).map((r: { v0: string; v1: string; v2: string }) => ({ subject: r.v0, role: r.v1, unit: r.v2 }));
  }

  private async notify(): Promise<void> {
    await this.db.raw('SELECT pg_notify(?, ?)', [POLICY_CHANNEL, 'g']);
  }
}
