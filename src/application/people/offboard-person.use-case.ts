import { assignmentOf } from '../ports/role-assignments.port.js';
import {
  NotFoundError,
  type InputError,
  type ConflictError,
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

export interface HandoverReport {
  personId: string;
  status: 'left' | 'retired' | 'suspended';
  successor: string | null;
  rolesRevoked: RoleAssignment[];
  sessionsEnded: number;
  tasks: HandedOverTask[];
}

/**
 * When a person leaves, retires or is suspended (Art. 6): in ONE audited transaction their status
 * changes, every role is revoked (every instance hears of it), every session ends, and every pending
 * task, claim and delegation is handed over (交接) to a named successor or back to the unit pool.
 */
export class OffboardPersonUseCase {
  constructor(
    private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; organisation: Organisation; clock: Clock },
  ) {}

  async execute(input: {
    actor: Actor;
    personId: string;
    status: HandoverReport['status'];
    successor?: string;
  }): Promise<Result<HandoverReport, NotAllowedError | NotFoundError | InputError | ConflictError>> {
    const allowed = await authorize(this.deps.enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'role-assignment',
      action: 'revoke',
    });
    if (!allowed.ok) return allowed;
    const person = await this.deps.organisation.person(input.personId);
    if (!person) return err(new NotFoundError('PERSON.NOT_FOUND', `no person '${input.personId}'`));
    if (input.successor) {
      const problem = await successorProblem(this.deps, person, input.successor);
      if (problem) return err(problem);
    }
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const report = await offboardInScope(scope, input.actor, person, input.status, input.successor ?? null, at);
      scope.afterCommit(() => this.deps.enforcer.refresh());
      return ok(report);
    });
  }
}

/** The hand-over itself, inside the caller's transaction (also used by the directory sync). */
export async function offboardInScope(
  scope: TransactionScope,
  actor: Actor,
  person: Person,
  status: HandoverReport['status'],
  successor: string | null,
  at: Date,
): Promise<HandoverReport> {
  await scope.personnel.setStatus(person.id, status, at);
  const roles = (await scope.roleAssignments.list({ subject: person.id })).map(assignmentOf);
  for (const r of roles) await scope.roleAssignments.revoke(r);
  const sessionsEnded = await scope.personnel.endSessions(person.id, at);
  const tasks = await handOverWork(scope, person.id, successor, at);
  const report: HandoverReport = { personId: person.id, status, successor, rolesRevoked: roles, sessionsEnded, tasks };
  await recordChange(scope, {
    actor,
    action: 'person.offboarded',
    entityType: 'person',
    entityId: person.id,
    unit: person.unit,
    before: { status: person.status, roles },
    after: report,
    at,
    event: { personId: person.id, status, handedOver: tasks.length },
  });
  return report;
}
