import { ServiceItem, type OnboardingApplication } from '../../domain/service-item/service-item.entity.js';
import type { ConflictError, InputError, NotAllowedError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { serviceItemView, type ServiceItemView } from './service-item.view.js';

/** 入驻申请 (Art. 8): the owning unit's service admin files the onboarding application. */
export class ApplyOnboardingUseCase {
  constructor(
    private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; organisation: Organisation; clock: Clock },
  ) {}

  async execute(input: {
    actor: Actor;
    application: OnboardingApplication;
  }): Promise<Result<ServiceItemView, InputError | NotAllowedError | ConflictError>> {
    const { uow, enforcer, organisation, clock } = this.deps;
    const units = new Set((await organisation.units()).map((u) => u.key));
    const now = clock.now();
    const created = ServiceItem.apply(
      globalThis.crypto.randomUUID(),
      input.application,
      input.actor.personId,
      now,
      units,
    );
    if (!created.ok) return created;
    const allowed = await authorize(enforcer, input.actor, {
      unit: input.application.owningUnit,
      object: 'service-item',
      action: 'apply',
    });
    if (!allowed.ok) return allowed;
    const item = created.value;
    return uow.run(async (scope) => {
      await scope.serviceItems.add(item);
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-item.onboarding-applied',
        entityType: 'service-item',
        entityId: item.id,
        unit: item.owningUnit,
        before: null,
        after: item.snapshot(),
        at: now,
        event: { code: item.code, owningUnit: item.owningUnit },
      });
      return ok(serviceItemView(item));
    });
  }
}
