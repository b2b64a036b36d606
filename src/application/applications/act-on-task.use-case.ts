import { InputError, NotFoundError, type ConflictError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import { recordChange } from '../shared/record-change.js';
import { formOf } from './application-access.js';
import { recordCompletion } from './record-completion.js';
import { applicationView, type ApplicationView } from './application.view.js';
import { engineContextOf } from './engine-context.js';
import { enqueueConnectorCalls } from './connector-calls.js';
import { checkForm, type ApplicationDeps } from './submission.js';
import { notActiveStaff } from '../../domain/people/active-staff.js';

export type TaskAction =
  | { action: 'claim' }
  | { action: 'unclaim' }
  | { action: 'approve'; comment?: string; form?: Record<string, unknown> }
  | { action: 'reject'; reason: string }
  | { action: 'return'; target: string; comment: string }
  | { action: 'transfer'; to: string; comment?: string }
  | { action: 'delegate'; to: string; comment?: string }
  | { action: 'resolve'; comment?: string }
  | { action: 'add-signer'; person: string; position: 'before' | 'after'; comment?: string }
  | { action: 'remove-signer'; signerTaskId: string }
  | { action: 'copy'; people: string[] }
  | { action: 'take-back' };

const PAST: Record<TaskAction['action'], string> = {
  claim: 'claimed',
  unclaim: 'unclaimed',
  approve: 'approved',
  reject: 'rejected',
  return: 'returned',
  transfer: 'transferred',
  delegate: 'delegated',
  resolve: 'delegation-resolved',
  'add-signer': 'signer-added',
  'remove-signer': 'signer-removed',
  copy: 'copied',
  'take-back': 'taken-back',
};

/**
 * A handler acts on a task: claim, approve (通过), reject (驳回), return (退回), transfer (转办),
 * delegate (委派) and hand back, add or remove a signer (加签/减签), copy to (抄送). The application
 * row is locked for the action, so two actions on one application never interleave: the second
 * sees the first's outcome (e.g. TASK.ALREADY_HANDLED).
 */
export class ActOnTaskUseCase {
  constructor(private readonly deps: ApplicationDeps) {}

  async execute(
    input: { actor: Actor; taskId: string } & TaskAction,
  ): Promise<Result<ApplicationView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, clock } = this.deps;
    const person = input.actor.personId;
    const at = clock.now();
    const named = await this.checkPeople(input);
    if (!named.ok) return named;
    return uow.run(async (scope) => {
      const a = await scope.applications.findByTaskId(input.taskId, { forUpdate: true });
      if (!a) return err(new NotFoundError('TASK.NOT_FOUND', `task '${input.taskId}' does not exist`));
      const p = a.current;
      const before = { state: a.state, activeNode: a.activeNode };
      const ctx = () => engineContextOf(this.deps, scope.organisation, a, at);
      let r: Result<void, NotAllowedError | ConflictError | InputError>;
      switch (input.action) {
        case 'claim': {
          const task = p.tasks.find((t) => t.id === input.taskId);
          const roles = await enforcer.rolesOf({ subject: person });
          const holds =
            !!task?.candidate && roles.some((x) => x.role === task.candidate!.role && x.unit === task.candidate!.unit);
          r = a.claim(input.taskId, person, holds, at);
          break;
        }
        case 'unclaim':
          r = a.unclaim(input.taskId, person, at);
          break;
        case 'approve': {
          if (input.form && Object.keys(input.form).length) {
            const edited = a.editAtStep(input.taskId, person, input.form, at);
            if (!edited.ok) return edited;
            const valid = checkForm(this.deps, p.versionId, a.process, p.form);
            if (!valid.ok) return valid;
          }
          r = a.approve(input.taskId, person, input.comment, await ctx());
          break;
        }
        case 'reject':
          r = a.reject(input.taskId, person, input.reason, await ctx());
          break;
        case 'return':
          r = a.returnTo(input.taskId, person, input.target, input.comment, await ctx());
          break;
        case 'transfer':
          r = a.transfer(input.taskId, person, input.to, input.comment, at);
          break;
        case 'delegate':
          r = a.delegate(input.taskId, person, input.to, input.comment, at);
          break;
        case 'resolve':
          r = a.resolveDelegation(input.taskId, person, input.comment, at);
          break;
        case 'add-signer':
          r = a.addSigner(input.taskId, person, input.person, input.position, input.comment, await ctx());
          break;
        case 'remove-signer':
          r = a.removeSigner(input.taskId, person, input.signerTaskId, await ctx());
          break;
        case 'copy':
          r = a.copyTo(input.taskId, person, input.people, at);
          break;
        case 'take-back':
          r = a.takeBack(input.taskId, person, await ctx());
          break;
      }
      if (!r.ok) return r;
      if (input.action === 'approve' || input.action === 'reject' || input.action === 'return') {
        const opened = a.tasks.find((t) => t.id === input.taskId)?.createdAt;
        if (opened) {
          const seconds = Math.max(0, (at.getTime() - new Date(opened).getTime()) / 1000);
          scope.afterCommit(() => this.deps.metrics.taskDecided({ unit: a.owningUnit, seconds }));
        }
      }
      await enqueueConnectorCalls(scope, a);
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: input.actor,
        action: `task.${PAST[input.action]}`,
        entityType: 'application',
        entityId: a.id,
        unit: a.owningUnit,
        before,
        after: { state: a.state, activeNode: a.activeNode },
        at,
        event: { taskId: input.taskId, caseNumber: p.caseNumber },
      });
      await recordCompletion(scope, a, { stateBefore: before.state, actor: input.actor, at });
      const form = await formOf({ enforcer, scope }, person, a);
      return ok(applicationView(a, { forApplicant: false, form }));
    });
  }

  /** People a task is handed to must be able to handle it (active staff); people it is shown to must be active. */
  private async checkPeople(input: TaskAction): Promise<Result<void, InputError>> {
    const [field, ids, staffOnly] =
      input.action === 'transfer' || input.action === 'delegate'
        ? (['/to', [input.to], true] as const)
        : input.action === 'add-signer'
          ? (['/person', [input.person], true] as const)
          : input.action === 'copy'
            ? (['/people', input.people, false] as const)
            : ([null, [], false] as const);
    if (!field) return ok(undefined);
    const found = new Map((await this.deps.organisation.people(ids)).map((x) => [x.id, x]));
    const problems = ids.flatMap((id, i) => {
      const who = found.get(id);
      const path = field === '/people' ? `${field}/${i}` : field;
      if (!who) return [{ path, message: `no person '${id}'` }];
      const why = staffOnly
        ? notActiveStaff(who)
        : who.status === 'active'
          ? []
          : [`${id} is ${who.status}, not active`];
      return why.map((message) => ({ path, message }));
    });
    return problems.length
      ? err(new InputError('TASK.INVALID_PERSON', 'these people cannot take part', problems))
      : ok(undefined);
  }
}
