import type { NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type {
  ApplicationSummaries,
  ItemApplicationFilters,
  ItemApplicationLine,
} from '../ports/application-summaries.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { Page } from '../ports/service-item.repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { loadItem } from '../service-items/load.js';
import { mayManage } from './manage-application.use-case.js';

/**
 * The applications of one item, for the owning unit's service admins and the IT Office (管理端):
 * filtered, newest submission first, a page at a time. Drafts are the applicant's own and are never
 * listed. A line names the applicant and where the application stands, never its form: no personal
 * data of the form is read, so there is no read to trace (reading one is GET …/{id}, traced).
 */
export class SearchItemApplicationsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; summaries: ApplicationSummaries; enforcer: PolicyEnforcer }) {}

  async execute(
    input: ItemApplicationFilters & { actor: Actor; limit: number; cursor?: string },
  ): Promise<Result<Page<ItemApplicationLine>, NotFoundError | NotAllowedError>> {
    const { actor, ...filters } = input;
    const found = await this.deps.uow.run((scope) => loadItem(scope.serviceItems, input.itemId));
    if (!found.ok) return found;
    const allowed = await mayManage(this.deps.enforcer, actor, found.value.owningUnit);
    if (!allowed.ok) return allowed;
    return ok(await this.deps.summaries.ofItem(filters));
  }
}
