import { ok, type Result } from '../../../domain/shared/result.js';
import type { Actor } from '../../ports/actor.js';
import type { UnitOfWork } from '../../ports/unit-of-work.port.js';
import { applicationView, type ApplicationView } from '../application.view.js';

/** An applicant's own applications, and nobody else's. */
export class ListMyApplicationsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: { actor: Actor; limit: number; cursor?: string }): Promise<Result<{ items: ApplicationView[]; nextCursor: string | null }, never>> {
    return this.deps.uow.run(async (scope) => {
      const page = await scope.applications.listByApplicant({ applicantId: input.actor.personId, limit: input.limit, cursor: input.cursor });
      return ok({ items: page.items.map((a) => applicationView(a, { forApplicant: true })), nextCursor: page.nextCursor });
    });
  }
}
