import { InputError, NotAllowedError, type ConflictError, type NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadItem, loadVersion } from './load.js';
import { serviceVersionView, type ServiceVersionView } from './service-item.view.js';

/**
 * An involved unit's service admin confirms a draft version (Art. 10). When the actor administers
 * several involved units that have not confirmed yet, they name the unit.
 */
export class ConfirmVersionUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock }) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    versionId: string;
    unit?: string;
  }): Promise<Result<ServiceVersionView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, clock } = this.deps;
    const now = clock.now();
    return uow.run(async (scope) => {
      const item = await loadItem(scope.serviceItems, input.itemId);
      if (!item.ok) return item;
      const version = await loadVersion(scope.serviceVersions, input.itemId, input.versionId);
      if (!version.ok) return version;
      const g = item.value.guard('confirm_version');
      if (!g.ok) return g;

      const administered: string[] = [];
      for (const unit of item.value.involvedUnits) {
        if (await enforcer.can({ subject: input.actor.personId, unit, object: 'service-item', action: 'confirm' }))
          administered.push(unit);
      }
      let unit = input.unit;
      if (unit === undefined) {
        const pending = administered.filter((u) => !version.value.confirmations.some((c) => c.unit === u));
        if (administered.length === 0)
          return err(
            new NotAllowedError('AUTH.FORBIDDEN', 'only the service admins of the involved units confirm a version'),
          );
        if (pending.length > 1)
          return err(
            new InputError(
              'SERVICE_VERSION.UNIT_REQUIRED',
              'you administer several involved units: say which one confirms',
              [{ path: '/unit', message: `one of ${pending.join(', ')}` }],
            ),
          );
        unit = pending[0] ?? administered[0]!;
      } else if (!administered.includes(unit)) {
        return err(new NotAllowedError('AUTH.FORBIDDEN', `you are not a service admin of involved unit '${unit}'`));
      }
      const before = version.value.snapshot();
      const r = version.value.confirm(unit, item.value.involvedUnits, input.actor.personId, now);
      if (!r.ok) return r;
      await scope.serviceVersions.save(version.value);
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-version.confirmed',
        entityType: 'service-version',
        entityId: version.value.id,
        unit,
        before,
        after: version.value.snapshot(),
        at: now,
        event: { itemId: item.value.id, unit },
      });
      return ok(serviceVersionView(version.value));
    });
  }
}
