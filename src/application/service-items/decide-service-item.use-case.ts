import { APPROVING_OFFICES, type ApprovingOffice } from '../../domain/service-item/service-item.entity.js';
import { InputError, NotAllowedError, type ConflictError, type NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';
import { loadItem } from './load.js';
import { serviceItemView, type ServiceItemView } from './service-item.view.js';

export type Decision = { decision: 'approve'; comment?: string } | { decision: 'reject'; reason: string };

/**
 * The President's Office and the IT Office each approve or reject an onboarding (Art. 8) or
 * offboarding (Art. 12) application, in either order. The office is the one the actor holds;
 * someone holding both must say which (`as`).
 */
export class DecideServiceItemUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  async execute(
    input: { actor: Actor; itemId: string; as?: ApprovingOffice } & Decision,
  ): Promise<Result<ServiceItemView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, clock } = this.deps;
    const allowed = await authorize(enforcer, input.actor, {
      unit: ALL_UNITS,
      object: 'service-item',
      action: 'decide',
    });
    if (!allowed.ok) return allowed;
    const office = await this.officeOf(input.actor, input.as);
    if (!office.ok) return office;
    const now = clock.now();
    return uow.run(async (scope) => {
      const found = await loadItem(scope.serviceItems, input.itemId);
      if (!found.ok) return found;
      const item = found.value;
      const before = item.snapshot();
      const phase = item.state === 'offboarding_pending' ? 'offboarding' : 'onboarding';
      let action: string;
      if (input.decision === 'approve') {
        const r = item.approve(office.value, input.actor.personId, now, input.comment);
        if (!r.ok) return r;
        action = r.value.completed ? `service-item.${phase}-approved` : `service-item.${phase}-approval-recorded`;
      } else {
        const r = item.reject(office.value, input.reason, input.actor.personId, now);
        if (!r.ok) return r;
        action = `service-item.${phase}-rejected`;
      }
      await scope.serviceItems.save(item);
      await recordChange(scope, {
        actor: input.actor,
        action,
        entityType: 'service-item',
        entityId: item.id,
        unit: item.owningUnit,
        before,
        after: item.snapshot(),
        at: now,
        event: { office: office.value, state: item.state },
      });
      return ok(serviceItemView(item));
    });
  }

  private async officeOf(
    actor: Actor,
    wanted: ApprovingOffice | undefined,
  ): Promise<Result<ApprovingOffice, NotAllowedError | InputError>> {
    const held = (await this.deps.enforcer.rolesOf({ subject: actor.personId }))
      .filter((r) => r.unit === ALL_UNITS && (APPROVING_OFFICES as readonly string[]).includes(r.role))
      .map((r) => r.role as ApprovingOffice);
    if (wanted) {
      return held.includes(wanted)
        ? ok(wanted)
        : err(new NotAllowedError('SERVICE_ITEM.NOT_OFFICE_MEMBER', `you do not act for ${wanted}`));
    }
    if (held.length === 1 && held[0]) return ok(held[0]);
    if (held.length === 0)
      return err(
        new NotAllowedError(
          'SERVICE_ITEM.NOT_OFFICE_MEMBER',
          "only the President's Office and the IT Office decide on service items",
        ),
      );
    return err(
      new InputError('SERVICE_ITEM.OFFICE_REQUIRED', 'you act for both offices: say which one', [
        { path: '/as', message: `one of ${held.join(', ')}` },
      ]),
    );
  }
}
