import type { ConflictError, NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadOwnedItem } from './load.js';
import { serviceItemView, type ServiceItemView } from './service-item.view.js';

/** 下线申请 (Art. 12): the item keeps serving until both offices approve. */
export class RequestOffboardingUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    reason: string;
  }): Promise<Result<ServiceItemView, NotFoundError | NotAllowedError | ConflictError>> {
    const { uow, enforcer, clock } = this.deps;
    const now = clock.now();
    return uow.run(async (scope) => {
      const found = await loadOwnedItem(scope.serviceItems, enforcer, { ...input, action: 'request-offboarding' });
      if (!found.ok) return found;
      const item = found.value;
      const before = item.snapshot();
      const r = item.requestOffboarding(input.reason, now);
      if (!r.ok) return r;
      await scope.serviceItems.save(item);
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-item.offboarding-requested',
        entityType: 'service-item',
        entityId: item.id,
        unit: item.owningUnit,
        before,
        after: item.snapshot(),
        at: now,
        event: { reason: input.reason },
      });
      return ok(serviceItemView(item));
    });
  }
}
