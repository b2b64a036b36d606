import type { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadApplication } from './application-access.js';
import { applicationView, type ApplicationView } from './application.view.js';

/** The applicant ends an application: 撤回 (withdraw, before anyone acted) or 撤销 (cancel, with a reason). */
export class EndApplicationUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock }) {}

  async execute(
    input: { actor: Actor; applicationId: string } & ({ how: 'withdraw' } | { how: 'cancel'; reason: string }),
  ): Promise<Result<ApplicationView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId, true);
      if (!found.ok) return found;
      const a = found.value;
      const before = { state: a.state, activeNode: a.activeNode };
      const r =
        input.how === 'withdraw'
          ? a.withdraw(input.actor.personId, at)
          : a.cancel(input.actor.personId, input.reason, at);
      if (!r.ok) return r;
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: input.actor,
        action: `application.${input.how === 'withdraw' ? 'withdrawn' : 'cancelled'}`,
        entityType: 'application',
        entityId: a.id,
        unit: a.owningUnit,
        before,
        after: { state: a.state },
        at,
        event: { caseNumber: a.current.caseNumber },
      });
      // only the applicant withdraws or cancels: their own form, all of it
      return ok(applicationView(a, { forApplicant: true, form: { ...a.current.form } }));
    });
  }
}
