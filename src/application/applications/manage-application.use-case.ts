import type { Application } from '../../domain/application/application.entity.js';
import { notActiveStaff } from '../../domain/people/active-staff.js';
import { InputError, NotFoundError, type ConflictError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { loadApplication } from './application-access.js';
import { applicationView, type ApplicationView } from './application.view.js';

type Failure = NotFoundError | NotAllowedError | ConflictError | InputError;

/** Whether the actor manages the applications of a unit's items: its service admins, and the IT Office. */
export function mayManage(
  enforcer: PolicyEnforcer,
  actor: Actor,
  unit: string,
): Promise<Result<void, NotAllowedError>> {
  return authorize(enforcer, actor, { unit, object: 'application', action: 'manage' });
}

/** An application, locked, that the actor manages (404, then 403, as for any application). */
export async function loadManaged(
  scope: TransactionScope,
  enforcer: PolicyEnforcer,
  actor: Actor,
  applicationId: string,
): Promise<Result<Application, NotFoundError | NotAllowedError>> {
  const found = await loadApplication(scope.applications, applicationId, true);
  if (!found.ok) return found;
  const allowed = await mayManage(enforcer, actor, found.value.owningUnit);
  return allowed.ok ? found : allowed;
}

/**
 * What the owning unit's service admins and the IT Office do to an application that is stuck:
 * 撤销 (cancel it, with a reason; the applicant is told) and 改派 (give one of its live tasks to
 * another active staff member, who is told). Each is one transaction with its audit entry, its
 * outbox event and its notification. The answer carries no form: reading it is GET …/{id}, traced.
 */
export class ManageApplicationUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock; publicUrl: string }) {}

  async cancel(input: {
    actor: Actor;
    applicationId: string;
    reason: string;
  }): Promise<Result<ApplicationView, Failure>> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const found = await loadManaged(scope, this.deps.enforcer, input.actor, input.applicationId);
      if (!found.ok) return found;
      const a = found.value;
      const before = { state: a.state, activeNode: a.activeNode };
      const r = a.cancelByAdmin(input.actor.personId, input.reason, at);
      if (!r.ok) return r;
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: input.actor,
        action: 'application.cancelled',
        entityType: 'application',
        entityId: a.id,
        unit: a.owningUnit,
        before,
        after: { state: a.state, byAdmin: true },
        at,
        event: { caseNumber: a.current.caseNumber, byAdmin: true },
      });
      const { service, caseNumber, link } = await this.facts(scope, a);
      await scope.notifier.notify({
        recipientId: a.applicantId,
        kind: 'application.cancelled-by-admin',
        subject: `【办件撤销】${service} ${caseNumber}`,
        body: `您的办件已由管理员撤销。\n原因：${input.reason}\n事项：${service}\n办件编号：${caseNumber}\n查看：${link}`,
        applicationId: a.id,
        taskId: null,
        dedupeKey: `application-cancelled-by-admin:${a.id}`,
        at,
      });
      return ok(applicationView(a, { forApplicant: false, form: {} }));
    });
  }

  async reassign(input: {
    actor: Actor;
    taskId: string;
    to: string;
    reason: string;
  }): Promise<Result<ApplicationView, Failure>> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const a = await scope.applications.findByTaskId(input.taskId, { forUpdate: true });
      if (!a) return err(new NotFoundError('TASK.NOT_FOUND', `task '${input.taskId}' does not exist`));
      const allowed = await mayManage(this.deps.enforcer, input.actor, a.owningUnit);
      if (!allowed.ok) return allowed;
      const who = (await scope.organisation.people([input.to]))[0];
      const why = who ? notActiveStaff(who) : [`no person '${input.to}'`];
      if (why.length)
        return err(
          new InputError(
            'TASK.INVALID_PERSON',
            'this person cannot take the task',
            why.map((message) => ({ path: '/to', message })),
          ),
        );
      const before = { state: a.state, activeNode: a.activeNode };
      const r = a.reassign(input.taskId, input.actor.personId, input.to, input.reason, at);
      if (!r.ok) return r;
      await scope.applications.save(a);
      const caseNumber = a.current.caseNumber;
      await recordChange(scope, {
        actor: input.actor,
        action: 'task.reassigned',
        entityType: 'application',
        entityId: a.id,
        unit: a.owningUnit,
        before,
        after: { state: a.state, activeNode: a.activeNode, taskId: input.taskId, to: input.to },
        at,
        event: { taskId: input.taskId, caseNumber },
      });
      const facts = await this.facts(scope, a);
      const task = a.tasks.find((t) => t.id === input.taskId)!;
      const node = a.process.nodes.find((n) => n.key === task.nodeKey)?.name ?? task.nodeKey;
      await scope.notifier.notify({
        recipientId: input.to,
        kind: 'task.reassigned',
        subject: `【改派】${facts.service} ${facts.caseNumber}`,
        body: `管理员将“${node}”改派给您办理。\n原因：${input.reason}\n事项：${facts.service}\n办件编号：${facts.caseNumber}\n查看：${facts.link}`,
        applicationId: a.id,
        taskId: input.taskId,
        dedupeKey: `task-reassigned:${input.taskId}:${input.to}:${at.toISOString()}`,
        at,
      });
      return ok(applicationView(a, { forApplicant: false, form: {} }));
    });
  }

  private async facts(scope: TransactionScope, a: Application) {
    const item = await scope.serviceItems.findById(a.current.itemId);
    return {
      service: item?.name ?? '',
      caseNumber: a.current.caseNumber ?? a.id,
      link: `${this.deps.publicUrl}/api/v1/applications/${a.id}`,
    };
  }
}
