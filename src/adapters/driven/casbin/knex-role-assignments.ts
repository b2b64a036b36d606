import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { RoleAssignment } from '../../../application/ports/policy-enforcer.port.js';
import type { HeldRole, RoleAssignments } from '../../../application/ports/role-assignments.port.js';
import type { AssignmentChange } from './policy-index.js';
import { encodeNotification, POLICY_CHANNEL } from './policy-notification.js';

/**
 * Past this many changes in one transaction (a large offboarding or directory sync), one reload
 * marker stands for the rest: each instance then reads the table once instead of queueing more.
 */
export const CHANGES_BEFORE_RELOAD = 500;

/**
 * Role assignments as `g` rows of `casbin_rule`, written in the caller's transaction. Each change
 * is announced on POLICY_CHANNEL in the same transaction, so every instance hears of it exactly
 * when it commits (and never when it rolls back) and applies it without reloading the policy.
 */
export class KnexRoleAssignments implements RoleAssignments {
  private announced = 0;
  /** Distinguishes this writer's payloads from any other writer's in the same transaction. */
  private readonly writer = randomUUID().slice(0, 8);

  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly changesBeforeReload = CHANGES_BEFORE_RELOAD,
  ) {}

  async grant(a: RoleAssignment, from: { filingId: string | null } = { filingId: null }): Promise<boolean> {
    const rows = await this.db('casbin_rule')
      .insert({ ptype: 'g', v0: a.subject, v1: a.role, v2: a.unit })
      .onConflict(['ptype', 'v0', 'v1', 'v2', 'v3', 'v4', 'v5'])
      .ignore()
      .returning('id');
    if (!rows.length) return false;
    // where the grant came from, beside the casbin row (which casbin reads and nothing else may widen)
    await this.db('role_grants')
      .insert({ subject: a.subject, role: a.role, unit: a.unit, filing_id: from.filingId })
      .onConflict(['subject', 'role', 'unit'])
      .merge();
    await this.announce({ ...pick(a), added: true });
    return true;
  }

  async revoke(a: RoleAssignment): Promise<boolean> {
    const n = await this.db('casbin_rule')
      .where({ ptype: 'g', v0: a.subject, v1: a.role, v2: a.unit, v3: '', v4: '', v5: '' })
      .delete();
    await this.db('role_grants').where({ subject: a.subject, role: a.role, unit: a.unit }).delete();
    if (n) await this.announce({ ...pick(a), added: false });
    return n > 0;
  }

  async list(o: { subject?: string; unit?: string; role?: string }): Promise<HeldRole[]> {
    const q = this.db('casbin_rule as c')
      .leftJoin('role_grants as g', (j) => j.on('g.subject', 'c.v0').andOn('g.role', 'c.v1').andOn('g.unit', 'c.v2'))
      .where('c.ptype', 'g')
      .select('c.v0', 'c.v1', 'c.v2', 'g.filing_id')
      .orderBy(['c.v2', 'c.v1', 'c.v0']);
    if (o.subject) q.where('c.v0', o.subject);
    if (o.role) q.where('c.v1', o.role);
    if (o.unit) q.where('c.v2', o.unit);
    return (await q).map((r: { v0: string; v1: string; v2: string; filing_id: string | null }) => ({
      subject: r.v0,
      role: r.v1,
      unit: r.v2,
      filingId: r.filing_id,
    }));
  }

  private async announce(change: AssignmentChange): Promise<void> {
    const seq = ++this.announced;
    if (seq > this.changesBeforeReload + 1) return; // the reload marker already sent covers this one
    const nonce = `${this.writer}.${seq}`;
    const payload =
      (seq <= this.changesBeforeReload && encodeNotification({ kind: 'changes', changes: [change] }, nonce)) ||
      encodeNotification({ kind: 'reload' }, nonce)!;
    await this.db.raw('SELECT pg_notify(?, ?)', [POLICY_CHANNEL, payload]);
  }
}

function pick({ subject, role, unit }: RoleAssignment): RoleAssignment {
  return { subject, role, unit };
}
