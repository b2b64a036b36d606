import { assignmentOf } from '../ports/role-assignments.port.js';
import {
  NotFoundError,
  type ConflictError,
  type InputError,
  type NotAllowedError,
} from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation, Person } from '../ports/organisation.port.js';
import { ALL_UNITS, type PolicyEnforcer, type RoleAssignment } from '../ports/policy-enforcer.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { handOverWork, successorProblem, type HandedOverTask } from './hand-over.js';

/** What a change of post (异动/调离) moved out of the old unit. */
export interface PostChangeReport {
  personId: string;
  /** The old unit, whose roles and work the person left. */
  from: string;
  to: string;
  successor: string | null;
  reason: string;
  /** Every role held in the old unit; roles held university-wide or in other units stay. */
  rolesRevoked: RoleAssignment[];
  /** Their sessions end when their roles changed. */
  sessionsEnded: number;
  /** The old unit's work they held, to the successor or back to its pool. */
  tasks: HandedOverTask[];
  /** The service admins of both units who were told. */
  notified: string[];
}

const ADMIN = 'unit-service-admin';

/**
 * When a person's unit changes (Art. 6), in ONE audited transaction: the unit changes, every role
 * they held in the old unit is revoked (every instance hears of it), their sessions end if their
 * roles changed, the old unit's work they held is handed over (交接) to a named successor or back
 * to its pools, and the service admins of both units are told. A person already in the new unit
 * changes nothing and writes nothing.
 */
export class ChangePostUseCase {
  constructor(
    private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; organisation: Organisation; clock: Clock },
  ) {}

  async execute(input: {
    actor: Actor;
    personId: string;
    unit: string;
    successor?: string;
    reason: string;
  }): Promise<Result<PostChangeReport, NotAllowedError | NotFoundError | InputError | ConflictError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'revoke',
    });
    if (!allowed.ok) return allowed;
    const person = await this.deps.organisation.person(input.personId);
    if (!person) return err(new NotFoundError('PERSON.NOT_FOUND', `no person '${input.personId}'`));
    if (!(await this.deps.organisation.units()).some((u) => u.key === input.unit))
      return err(new NotFoundError('UNIT.NOT_FOUND', `unit '${input.unit}' does not exist`));
    // already there: nothing is handed over, so nobody need take it
    if (input.successor && person.unit !== input.unit) {
      const problem = await successorProblem(this.deps, person, input.successor, person.unit);
      if (problem) return err(problem);
    }
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const before = (await scope.organisation.person(person.id)) ?? person;
      if (before.unit === input.unit) return ok(nothingMoved(before, input.successor ?? null, input.reason));
      await scope.personnel.upsert({ ...before, unit: input.unit }, at);
      const report = await changePostInScope(
        scope,
        input.actor,
        before,
        input.unit,
        input.successor ?? null,
        input.reason,
        at,
      );
      scope.afterCommit(() => this.deps.enforcer.refresh());
      return ok(report);
    });
  }
}

function nothingMoved(person: Person, successor: string | null, reason: string): PostChangeReport {
  return {
    personId: person.id,
    from: person.unit,
    to: person.unit,
    successor,
    reason,
    rolesRevoked: [],
    sessionsEnded: 0,
    tasks: [],
    notified: [],
  };
}

/**
 * The change of post itself, inside the caller's transaction, once the caller has written the
 * person's new unit (also used by the directory sync). `before` is the person as they were.
 */
export async function changePostInScope(
  scope: TransactionScope,
  actor: Actor,
  before: Person,
  to: string,
  successor: string | null,
  reason: string,
  at: Date,
): Promise<PostChangeReport> {
  const from = before.unit;
  const rolesRevoked = (await scope.roleAssignments.list({ subject: before.id, unit: from })).map(assignmentOf);
  for (const r of rolesRevoked) await scope.roleAssignments.revoke(r);
  const sessionsEnded = rolesRevoked.length ? await scope.personnel.endSessions(before.id, at) : 0;
  const tasks = await handOverWork(scope, before.id, successor, at, from);
  const admins = new Set<string>();
  for (const unit of [from, to])
    for (const a of await scope.roleAssignments.list({ role: ADMIN, unit })) admins.add(a.subject);
  const notified = [...admins].sort();
  const report: PostChangeReport = {
    personId: before.id,
    from,
    to,
    successor,
    reason,
    rolesRevoked,
    sessionsEnded,
    tasks,
    notified,
  };
  await recordChange(scope, {
    actor,
    action: 'person.post-changed',
    entityType: 'person',
    entityId: before.id,
    unit: from,
    before: { unit: from, roles: rolesRevoked },
    after: report,
    at,
    event: { personId: before.id, from, to, rolesRevoked: rolesRevoked.length, handedOver: tasks.length },
  });
  const moved = [
    `${rolesRevoked.length} role(s) in ${from} revoked${rolesRevoked.length ? `: ${rolesRevoked.map((r) => r.role).join(', ')}` : ''}`,
    `${tasks.length} task(s) handed over${tasks.length ? `: ${tasks.map((t) => `${t.caseNumber ?? t.applicationId} ${t.node} -> ${t.to}`).join('; ')}` : ''}`,
  ];
  for (const recipient of notified)
    await scope.notifier.notify({
      recipientId: recipient,
      kind: 'person.post-changed',
      subject: `人员异动：${before.name}（${before.id}）${from} → ${to}`,
      body: `${before.name} (${before.id}) moved from ${from} to ${to}: ${reason}\n${moved.join('\n')}`,
      applicationId: null,
      taskId: null,
      dedupeKey: `person:${before.id}:post-changed:${from}:${to}:${at.toISOString()}:${recipient}`,
      at,
    });
  return report;
}
