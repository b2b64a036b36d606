import {
  connectorsUsed,
  evaluateLaunchGate,
  handlerRequirements,
  type HandlerRequirement,
} from '../../domain/service-item/launch-gate.js';
import { ConflictError, type NotAllowedError, type NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { BusinessConnectors } from '../ports/business-connectors.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { FormSchemaChecker } from '../ports/form-schema-checker.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import { isActiveStaff } from '../../domain/people/active-staff.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadOwnedItem, loadVersion } from './load.js';
import { serviceVersionView, type ServiceVersionView } from './service-item.view.js';

/**
 * 上线 (Art. 10): the launch gate, then the version becomes the one new applications use. A change
 * (Art. 11) passes the same gate; the version it replaces is superseded, not deleted.
 */
export class LaunchVersionUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      connectors: Pick<BusinessConnectors, 'configured'>;
      forms: FormSchemaChecker;
      clock: Clock;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    versionId: string;
  }): Promise<Result<ServiceVersionView, NotFoundError | NotAllowedError | ConflictError>> {
    const { uow, enforcer, clock } = this.deps;
    const now = clock.now();
    return uow.run(async (scope) => {
      // the row lock serialises launches of one item; the lock_version check would catch them too
      const found = await loadOwnedItem(scope.serviceItems, enforcer, { ...input, action: 'launch', forUpdate: true });
      if (!found.ok) return found;
      const version = await loadVersion(scope.serviceVersions, input.itemId, input.versionId);
      if (!version.ok) return version;
      const g = found.value.guard('launch');
      if (!g.ok) return g;
      if (version.value.state !== 'draft') {
        return err(
          new ConflictError(
            'SERVICE_VERSION.NOT_DRAFT',
            `version ${version.value.number} is ${version.value.state}; only a draft version can be launched`,
          ),
        );
      }

      const definition = version.value.definition;
      const resolved = definition
        ? await this.resolve(scope.organisation, handlerRequirements(definition, await scope.organisation.units()))
        : [];
      const missing = evaluateLaunchGate({
        involvedUnits: found.value.involvedUnits,
        confirmedUnits: version.value.confirmations.map((c) => c.unit),
        hasDefinition: definition !== null,
        resolved,
        connectors: {
          used: definition ? connectorsUsed(definition) : [],
          configured: this.deps.connectors.configured(),
        },
        formProblems: definition ? this.deps.forms.check(definition.form, '/form') : [],
      });
      if (missing.length) {
        return err(
          new ConflictError(
            'SERVICE_ITEM.LAUNCH_GATE_NOT_MET',
            `the version cannot go online: ${missing.length} requirement(s) not met`,
            { missing },
          ),
        );
      }

      const itemBefore = found.value.snapshot();
      const previousId = found.value.onlineVersionId;
      if (previousId) {
        const previous = await scope.serviceVersions.findById(previousId);
        if (previous) {
          previous.supersede(now);
          await scope.serviceVersions.save(previous);
        }
      }
      const launched = version.value.launch(now);
      if (!launched.ok) return launched;
      await scope.serviceVersions.save(version.value);
      const moved = found.value.launched(version.value.id, now);
      if (!moved.ok) return moved;
      await scope.serviceItems.save(found.value);
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-item.launched',
        entityType: 'service-item',
        entityId: found.value.id,
        unit: found.value.owningUnit,
        before: itemBefore,
        after: found.value.snapshot(),
        at: now,
        event: { versionId: version.value.id, number: version.value.number, supersededVersionId: previousId },
      });
      return ok(serviceVersionView(version.value));
    });
  }

  /** For each requirement, how many active staff can act on it. */
  private async resolve(organisation: Organisation, requirements: HandlerRequirement[]) {
    const holderIds = new Map<HandlerRequirement, string[]>();
    for (const r of requirements) {
      holderIds.set(
        r,
        r.type === 'people' ? r.people : await this.deps.enforcer.holders({ role: r.role, unit: r.unit }),
      );
    }
    const people = await organisation.people([...holderIds.values()].flat());
    const active = new Set(people.filter(isActiveStaff).map((p) => p.id));
    return requirements.map((requirement) => ({
      requirement,
      activeHandlers: (holderIds.get(requirement) ?? []).filter((id) => active.has(id)).length,
    }));
  }
}
