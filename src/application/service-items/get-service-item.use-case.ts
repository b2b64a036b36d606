import type { NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorizeAny } from '../shared/authorize.js';
import { loadItem } from './load.js';
import {
  serviceItemView,
  serviceVersionView,
  type ServiceItemView,
  type ServiceVersionView,
} from './service-item.view.js';

/**
 * The admin view of one item with all its versions. Readable by the service admins of its units and
 * by the global offices and auditors — in every state, offline included (Art. 12: data stays queryable).
 */
export class GetServiceItemUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer }) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
  }): Promise<Result<ServiceItemView & { versions: ServiceVersionView[] }, NotFoundError | NotAllowedError>> {
    return this.deps.uow.run(async (scope) => {
      const found = await loadItem(scope.serviceItems, input.itemId);
      if (!found.ok) return found;
      const item = found.value;
      const allowed = await authorizeAny(this.deps.enforcer, input.actor, {
        units: [ALL_UNITS, ...item.involvedUnits],
        object: 'service-item',
        action: 'read',
      });
      if (!allowed.ok) return allowed;
      const versions = await scope.serviceVersions.listByItem(item.id);
      return ok({ ...serviceItemView(item), versions: versions.map(serviceVersionView) });
    });
  }
}
