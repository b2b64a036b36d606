import { ServiceVersion } from '../../domain/service-item/service-version.entity.js';
import type { ConflictError, NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadOwnedItem } from './load.js';
import { serviceVersionView, type ServiceVersionView } from './service-item.view.js';

/**
 * 变更 (Art. 11): a new draft version, copied from the online one, with the change requirements.
 * The online version keeps serving until the draft passes the launch gate.
 */
export class RequestChangeUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    reason: string;
  }): Promise<Result<ServiceVersionView, NotFoundError | NotAllowedError | ConflictError>> {
    const { uow, enforcer, clock } = this.deps;
    const now = clock.now();
    return uow.run(async (scope) => {
      const found = await loadOwnedItem(scope.serviceItems, enforcer, { ...input, action: 'request-change' });
      if (!found.ok) return found;
      const item = found.value;
      const g = item.guard('request_change');
      if (!g.ok) return g;
      const online = item.onlineVersionId ? await scope.serviceVersions.findById(item.onlineVersionId) : null;
      const draft = ServiceVersion.draft({
        id: globalThis.crypto.randomUUID(),
        itemId: item.id,
        number: await scope.serviceVersions.nextNumber(item.id),
        definition: online?.definition ?? null,
        changeReason: input.reason,
        by: input.actor.personId,
        at: now,
      });
      await scope.serviceVersions.add(draft);
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-item.change-requested',
        entityType: 'service-version',
        entityId: draft.id,
        unit: item.owningUnit,
        before: null,
        after: draft.snapshot(),
        at: now,
        event: { itemId: item.id, number: draft.number, reason: input.reason },
      });
      return ok(serviceVersionView(draft));
    });
  }
}
