import type { OnboardingApplication } from '../../domain/service-item/service-item.entity.js';
import type { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadOwnedItem } from './load.js';
import { serviceItemView, type ServiceItemView } from './service-item.view.js';

export type OnboardingRevision = Partial<
  Pick<OnboardingApplication, 'name' | 'description' | 'offlineProcedure' | 'involvedUnits'>
>;

/** After a rejection the owning unit revises its application and files it again. */
export class ReapplyOnboardingUseCase {
  constructor(
    private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; organisation: Organisation; clock: Clock },
  ) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    revision: OnboardingRevision;
  }): Promise<Result<ServiceItemView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, organisation, clock } = this.deps;
    const units = new Set((await organisation.units()).map((u) => u.key));
    const now = clock.now();
    return uow.run(async (scope) => {
      const found = await loadOwnedItem(scope.serviceItems, enforcer, { ...input, action: 'apply' });
      if (!found.ok) return found;
      const item = found.value;
      const before = item.snapshot();
      const r = item.reapply(input.revision, now, units);
      if (!r.ok) return r;
      await scope.serviceItems.save(item);
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-item.onboarding-reapplied',
        entityType: 'service-item',
        entityId: item.id,
        unit: item.owningUnit,
        before,
        after: item.snapshot(),
        at: now,
      });
      return ok(serviceItemView(item));
    });
  }
}
