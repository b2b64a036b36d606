import { NotAllowedError, type ConflictError, type InputError, type NotFoundError } from '../../../domain/shared/errors.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { Actor } from '../../ports/actor.js';
import type { Clock } from '../../ports/clock.port.js';
import type { PolicyEnforcer } from '../../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../../ports/unit-of-work.port.js';
import { recordChange } from '../../shared/record-change.js';
import { forbidden, loadApplication, mayRead } from '../application-access.js';
import { applicationView, type ApplicationView } from '../application.view.js';

/** How often one person may urge one application. */
export const URGE_WINDOW_MINUTES = 30;

/**
 * Comments by anyone who may read the application (handlers' may be private), and 催办: the
 * applicant, or a service admin of the owning unit, urges the holders of the current step.
 */
export class NoteApplicationUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  async execute(input: { actor: Actor; applicationId: string } & ({ note: 'comment'; text: string; private: boolean } | { note: 'urge' })):
    Promise<Result<ApplicationView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { enforcer, clock } = this.deps;
    const person = input.actor.personId;
    const at = clock.now();
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId, true);
      if (!found.ok) return found;
      const a = found.value;
      if (!(await mayRead({ enforcer, items: scope.serviceItems }, person, a))) return forbidden();
      let detail: Record<string, unknown> = {};
      if (input.note === 'comment') {
        const r = a.comment(person, input.text, input.private, at);
        if (!r.ok) return r;
      } else {
        const isAdmin = await enforcer.can({ subject: person, unit: a.owningUnit, object: 'application', action: 'read' })
          && (await enforcer.rolesOf({ subject: person })).some((x) => x.role === 'unit-service-admin' && x.unit === a.owningUnit);
        if (person !== a.applicantId && !isAdmin) return err(new NotAllowedError('APPLICATION.URGE_NOT_ALLOWED', 'only the applicant or the owning unit\'s service admin may urge'));
        const r = a.urge(person, URGE_WINDOW_MINUTES, at);
        if (!r.ok) return r;
        detail = { holders: r.value.holders };
      }
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: input.actor, action: input.note === 'comment' ? 'application.commented' : 'application.urged', entityType: 'application',
        entityId: a.id, unit: a.owningUnit, before: null, after: null, at, event: { caseNumber: a.snapshot().caseNumber, ...detail },
      });
      return ok(applicationView(a, { forApplicant: person === a.applicantId }));
    });
  }
}
