import { NotFoundError, type ConflictError, type InputError, type NotAllowedError } from '../../../domain/shared/errors.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { Actor } from '../../ports/actor.js';
import { recordChange } from '../../shared/record-change.js';
import { applicationView, type ApplicationView } from '../application.view.js';
import { engineContext } from '../engine-context.js';
import type { ApplicationDeps } from '../submission.js';

export type TaskAction =
  | { action: 'claim' }
  | { action: 'unclaim' }
  | { action: 'approve'; comment?: string }
  | { action: 'reject'; reason: string }
  | { action: 'return'; target: string; comment: string };

const PAST = { claim: 'claimed', unclaim: 'unclaimed', approve: 'approved', reject: 'rejected', return: 'returned' } as const;

/**
 * A handler acts on a task: claim, unclaim, approve (通过), reject (驳回) or return (退回). The
 * application row is locked for the action, so two actions on one application never interleave:
 * the second sees the first's outcome (e.g. TASK.ALREADY_HANDLED).
 */
export class ActOnTaskUseCase {
  constructor(private readonly deps: ApplicationDeps) {}

  async execute(input: { actor: Actor; taskId: string } & TaskAction):
    Promise<Result<ApplicationView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, clock } = this.deps;
    const person = input.actor.personId;
    const at = clock.now();
    return uow.run(async (scope) => {
      const a = await scope.applications.findByTaskId(input.taskId, { forUpdate: true });
      if (!a) return err(new NotFoundError('TASK.NOT_FOUND', `task '${input.taskId}' does not exist`));
      const p = a.snapshot();
      const before = { state: a.state, activeNode: a.activeNode };
      const ctx = () => engineContext(this.deps, { definition: a.process, applicant: p.applicant, form: p.form, owningUnit: a.owningUnit, at });
      let r: Result<void, NotAllowedError | ConflictError | InputError>;
      switch (input.action) {
        case 'claim': {
          const task = p.tasks.find((t) => t.id === input.taskId);
          const roles = await enforcer.rolesOf({ subject: person });
          const holds = !!task?.candidate && roles.some((x) => x.role === task.candidate!.role && x.unit === task.candidate!.unit);
          r = a.claim(input.taskId, person, holds, at);
          break;
        }
        case 'unclaim': r = a.unclaim(input.taskId, person, at); break;
        case 'approve': r = a.approve(input.taskId, person, input.comment, await ctx()); break;
        case 'reject': r = a.reject(input.taskId, person, input.reason, await ctx()); break;
        case 'return': r = a.returnTo(input.taskId, person, input.target, input.comment, await ctx()); break;
      }
      if (!r.ok) return r;
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: input.actor, action: `task.${PAST[input.action]}`,
        entityType: 'application', entityId: a.id, unit: a.owningUnit, before, after: { state: a.state, activeNode: a.activeNode }, at,
        event: { taskId: input.taskId, caseNumber: p.caseNumber },
      });
      return ok(applicationView(a, { forApplicant: false }));
    });
  }
}
