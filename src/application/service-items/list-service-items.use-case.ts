import type { ServiceItemState } from '../../domain/service-item/service-item-lifecycle.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import { unitsWhere } from '../shared/authorize.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { serviceItemView, type ServiceItemView } from './service-item.view.js';

/**
 * Admin list of items by state. Global offices and auditors see every item; a unit's service admin
 * sees the items their units own or are involved in; everyone else sees none.
 */
export class ListServiceItemsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer }) {}

  async execute(input: {
    actor: Actor;
    states?: ServiceItemState[];
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: ServiceItemView[]; nextCursor: string | null }, never>> {
    const units = await unitsWhere(this.deps.enforcer, input.actor, { object: 'service-item', action: 'read' });
    return this.deps.uow.run(async (scope) => {
      const page = await scope.serviceItems.list({
        states: input.states,
        units,
        limit: input.limit,
        cursor: input.cursor,
      });
      return ok({ items: page.items.map(serviceItemView), nextCursor: page.nextCursor });
    });
  }
}
