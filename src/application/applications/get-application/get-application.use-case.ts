import type { NotAllowedError, NotFoundError } from '../../../domain/shared/errors.js';
import { ok, type Result } from '../../../domain/shared/result.js';
import type { Actor } from '../../ports/actor.js';
import type { PolicyEnforcer } from '../../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../../ports/unit-of-work.port.js';
import { forbidden, loadApplication, mayRead } from '../application-access.js';
import { applicationView, type ApplicationView } from '../application.view.js';

/** Progress of one application: current steps, who holds them, and the full history. */
export class GetApplicationUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer }) {}

  async execute(input: { actor: Actor; applicationId: string }): Promise<Result<ApplicationView, NotFoundError | NotAllowedError>> {
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId);
      if (!found.ok) return found;
      const a = found.value;
      if (!(await mayRead({ enforcer: this.deps.enforcer, items: scope.serviceItems }, input.actor.personId, a))) return forbidden();
      return ok(applicationView(a, { forApplicant: a.applicantId === input.actor.personId }));
    });
  }
}
