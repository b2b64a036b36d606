import { chinaDate } from '../../domain/calendar/working-calendar.js';
import { ADMIN_ROLES, certifiedThrough, daysBetween } from '../../domain/people/role-eligibility.js';
import { InputError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { NotificationKind } from '../ports/notifier.port.js';
import { ALL_UNITS, type PolicyEnforcer, type RoleAssignment } from '../ports/policy-enforcer.port.js';
import type { CertificationRecord } from '../ports/role-assignments.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';

/** Why the hall revokes an admin role itself. */
export const EXPIRY_REASON = 'certification expired (Art. 17)';

/** How many days before the last certified day the person and the IT Office are told, once each. */
export const NOTICE_THRESHOLDS = [30, 7] as const;
export type NoticeThreshold = (typeof NOTICE_THRESHOLDS)[number];

/** An admin role and how long its holder's certifications still cover it. */
export interface ExpiringRole {
  personId: string;
  name: string;
  role: string;
  unit: string;
  /** The last day the certifications cover without a gap; when none is valid today, the latest that ran out (null: never certified). */
  expiresOn: string | null;
  /** Days from today to expiresOn: 0 on the last day, negative once it has passed (null: never certified). */
  daysLeft: number | null;
}

export interface ExpiryRun {
  /** Today, in China: the day the certifications were checked against. */
  today: string;
  revoked: Array<RoleAssignment & { notified: string[] }>;
  noticed: Array<{ personId: string; threshold: NoticeThreshold; expiresOn: string; notified: string[] }>;
}

interface Holding {
  personId: string;
  roles: RoleAssignment[];
  certifications: CertificationRecord[];
}

const SYSTEM = (requestId: string): Actor => ({ personId: 'system', requestId });
const label = (a: RoleAssignment) => `${a.role}@${a.unit}`;

/**
 * Admin roles last only as long as their holder's training certification (Art. 17). A daily job
 * (and `hall training expire-now`) revokes every admin role whose holder has no certification
 * valid today, each in its own transaction with its audit entry, outbox event and a notice to the
 * person and the IT Office; and tells them 30 and 7 days before the certifications run out. Notices
 * are keyed by person, last certified day, threshold and recipient, so a run repeated the same day
 * or the next tells nobody anything twice, and a role once revoked is not revoked again.
 */
export class CertificationExpiryUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  /** The scheduled run (the daily job): the hall acts as `system`. */
  async run(o: { jobId: string }): Promise<ExpiryRun> {
    return this.check(SYSTEM(`job-${o.jobId}`));
  }

  /** The run on demand, by whoever may revoke roles (the IT Office): audited as theirs. */
  async runAs(actor: Actor): Promise<Result<ExpiryRun, NotAllowedError>> {
    const allowed = await authorize(this.deps.enforcer, actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'revoke',
    });
    if (!allowed.ok) return allowed;
    return ok(await this.check(actor));
  }

  /** Admin roles whose holder's certifications run out within `days` days, or already have; soonest first. */
  async expiring(input: {
    actor: Actor;
    days: number;
  }): Promise<Result<{ today: string; items: ExpiringRole[] }, NotAllowedError | InputError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'read',
    });
    if (!allowed.ok) return allowed;
    if (!Number.isInteger(input.days) || input.days < 0 || input.days > 3660)
      return err(
        new InputError('CERTIFICATION.BAD_DAYS', 'say within how many days', [
          { path: '/days', message: 'a whole number of days from 0 to 3660' },
        ]),
      );
    const today = chinaDate(this.deps.clock.now());
    return this.deps.uow.run(async (scope) => {
      const holdings = await adminHoldings(scope);
      const names = new Map((await scope.organisation.people(holdings.map((h) => h.personId))).map((p) => [p.id, p]));
      const items: ExpiringRole[] = [];
      for (const h of holdings) {
        const through = certifiedThrough(h.certifications, today);
        const expiresOn =
          through ??
          h.certifications
            .filter((c) => c.expiresOn < today)
            .reduce<string | null>((l, c) => (l && l > c.expiresOn ? l : c.expiresOn), null);
        const daysLeft = expiresOn === null ? null : daysBetween(today, expiresOn);
        if (through !== null && daysLeft! > input.days) continue;
        for (const a of h.roles)
          items.push({
            personId: h.personId,
            name: names.get(h.personId)?.name ?? h.personId,
            role: a.role,
            unit: a.unit,
            expiresOn,
            daysLeft,
          });
      }
      items.sort(
        (x, y) =>
          (x.daysLeft ?? -Infinity) - (y.daysLeft ?? -Infinity) ||
          x.personId.localeCompare(y.personId) ||
          `${x.role}@${x.unit}`.localeCompare(`${y.role}@${y.unit}`),
      );
      return ok({ today, items });
    });
  }

  private async check(actor: Actor): Promise<ExpiryRun> {
    const at = this.deps.clock.now();
    const today = chinaDate(at);
    const report: ExpiryRun = { today, revoked: [], noticed: [] };
    const holdings = await this.deps.uow.run((scope) => adminHoldings(scope));
    for (const h of holdings) {
      if (certifiedThrough(h.certifications, today) !== null) continue;
      // one transaction per role, which looks again: a certification recorded since keeps it
      for (const role of h.roles) {
        const revoked = await this.deps.uow.run((scope) => this.revokeLapsed(scope, actor, role, at, today));
        if (revoked) report.revoked.push(revoked);
      }
    }
    for (const h of holdings) {
      const through = certifiedThrough(h.certifications, today);
      if (through === null) continue;
      const daysLeft = daysBetween(today, through);
      const threshold = [...NOTICE_THRESHOLDS].reverse().find((t) => daysLeft <= t);
      if (threshold === undefined) continue;
      const noticed = await this.deps.uow.run((scope) =>
        this.noticeExpiring(scope, actor, h.personId, { through, daysLeft, threshold, at, today }),
      );
      if (noticed) report.noticed.push(noticed);
    }
    return report;
  }

  private async revokeLapsed(
    scope: TransactionScope,
    actor: Actor,
    a: RoleAssignment,
    at: Date,
    today: string,
  ): Promise<(RoleAssignment & { notified: string[] }) | null> {
    if (certifiedThrough(await scope.certifications.of(a.subject), today) !== null) return null;
    if (!(await scope.roleAssignments.revoke(a))) return null;
    const person = await scope.organisation.person(a.subject);
    const text = {
      subject: `【管理员角色已撤销】${a.role}（${a.unit}）`,
      body:
        `${person?.name ?? a.subject}（${a.subject}）已无有效的培训认证，其管理员角色 ${a.role}（${a.unit}）已于 ${today} 撤销（Art. 17）。\n` +
        `重新通过培训并登记认证后，可由信息办重新授予。\n` +
        `The admin role ${a.role} (${a.unit}) of ${a.subject} was revoked on ${today}: no training certification is valid any more (Art. 17).`,
    };
    const notified = await tell(scope, {
      personId: a.subject,
      kind: 'certification.lapsed',
      text,
      cause: `${label(a)}:${today}`,
      at,
    });
    await recordChange(scope, {
      actor,
      action: 'role.revoked',
      entityType: 'person',
      entityId: a.subject,
      unit: a.unit === ALL_UNITS ? null : a.unit,
      before: a,
      after: { reason: EXPIRY_REASON, notified },
      at,
      event: { ...a, reason: EXPIRY_REASON, notified },
    });
    scope.afterCommit(() => this.deps.enforcer.refresh());
    return { ...a, notified };
  }

  private async noticeExpiring(
    scope: TransactionScope,
    actor: Actor,
    personId: string,
    n: { through: string; daysLeft: number; threshold: NoticeThreshold; at: Date; today: string },
  ): Promise<ExpiryRun['noticed'][number] | null> {
    // as this transaction sees them: a role revoked or a certification recorded since counts
    const roles = await scope.roleAssignments.list({ subject: personId });
    const admin = roles.filter((r) => ADMIN_ROLES.includes(r.role));
    if (!admin.length) return null;
    if (certifiedThrough(await scope.certifications.of(personId), n.today) !== n.through) return null;
    const person = await scope.organisation.person(personId);
    const held = admin.map(label).join(', ');
    const text = {
      subject: `【培训认证即将到期】${person?.name ?? personId}：${n.through} 到期（剩 ${n.daysLeft} 天）`,
      body:
        `${person?.name ?? personId}（${personId}）的培训认证将于 ${n.through} 到期，还剩 ${n.daysLeft} 天。` +
        `到期后其管理员角色（${held}）将被自动撤销（Art. 17），请及时参加培训并登记新的认证。\n` +
        `The training certification of ${personId} runs out on ${n.through} (${n.daysLeft} days left); ` +
        `the admin roles ${held} are then revoked (Art. 17).`,
    };
    const notified = await tell(scope, {
      personId,
      kind: 'certification.expiring',
      text,
      cause: `${n.through}:${n.threshold}`,
      at: n.at,
    });
    if (!notified.length) return null;
    const about = { expiresOn: n.through, threshold: n.threshold, daysLeft: n.daysLeft, roles: admin.map(label) };
    await recordChange(scope, {
      actor,
      action: 'certification.expiring',
      entityType: 'person',
      entityId: personId,
      unit: null,
      before: null,
      after: { ...about, notified },
      at: n.at,
      event: { ...about, notified },
    });
    return { personId, threshold: n.threshold, expiresOn: n.through, notified };
  }
}

/** Every holder of an admin role, with those roles and every certification of theirs. */
async function adminHoldings(scope: TransactionScope): Promise<Holding[]> {
  const byPerson = new Map<string, RoleAssignment[]>();
  for (const role of ADMIN_ROLES)
    for (const a of await scope.roleAssignments.list({ role })) {
      const held = byPerson.get(a.subject) ?? [];
      held.push({ subject: a.subject, role: a.role, unit: a.unit });
      byPerson.set(a.subject, held);
    }
  const holdings: Holding[] = [];
  for (const [personId, roles] of [...byPerson].sort(([x], [y]) => x.localeCompare(y)))
    holdings.push({ personId, roles, certifications: await scope.certifications.of(personId) });
  return holdings;
}

/**
 * Tells the person and the IT Office (the holders of it-office as this transaction sees them), each
 * active one once for `cause`: a repeated run finds the same dedupe keys and tells nobody again.
 */
async function tell(
  scope: TransactionScope,
  o: { personId: string; kind: NotificationKind; text: { subject: string; body: string }; cause: string; at: Date },
): Promise<string[]> {
  const office = (await scope.roleAssignments.list({ role: 'it-office' })).map((a) => a.subject);
  const ids = [...new Set([o.personId, ...office])];
  const active = (await scope.organisation.people(ids)).filter((p) => p.status === 'active').map((p) => p.id);
  const told: string[] = [];
  for (const recipientId of ids.filter((id) => active.includes(id))) {
    const fresh = await scope.notifier.notify({
      recipientId,
      kind: o.kind,
      ...o.text,
      applicationId: null,
      taskId: null,
      at: o.at,
      dedupeKey: `${o.kind}:${o.personId}:${o.cause}:${recipientId}`,
    });
    if (fresh) told.push(recipientId);
  }
  return told;
}
