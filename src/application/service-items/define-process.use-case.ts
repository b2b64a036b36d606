import { validateProcessDefinition } from '../../domain/process-definition/process-definition.validator.js';
import { ServiceVersion } from '../../domain/service-item/service-version.entity.js';
import { ConflictError, InputError, type NotAllowedError, type NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { BusinessConnectors } from '../ports/business-connectors.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { FormSchemaChecker } from '../ports/form-schema-checker.port.js';
import type { Organisation } from '../ports/organisation.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadOwnedItem } from './load.js';
import { serviceVersionView, type ServiceVersionView } from './service-item.view.js';

/** Referenced people ids, collected before validation so only they are looked up. */
function peopleIn(input: unknown): string[] {
  const nodes = (input as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.flatMap((n) => {
    const people = (n as { handlers?: { people?: unknown } })?.handlers?.people;
    return Array.isArray(people) ? people.filter((p): p is string => typeof p === 'string') : [];
  });
}

/**
 * 建设 (Art. 9): the owning unit defines the process of its draft version: nodes, handlers, forms
 * and time limits. The first draft is created here while the item is being built; later drafts come
 * from a change request. Every problem of the definition is reported at once.
 */
export class DefineProcessUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      organisation: Organisation;
      forms: FormSchemaChecker;
      connectors: Pick<BusinessConnectors, 'configured'>;
      clock: Clock;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    definition: unknown;
  }): Promise<Result<ServiceVersionView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, enforcer, organisation, forms, connectors, clock } = this.deps;
    const [units, roles, people] = await Promise.all([
      organisation.units(),
      organisation.roles(),
      organisation.people(peopleIn(input.definition)),
    ]);
    const now = clock.now();
    return uow.run(async (scope) => {
      const found = await loadOwnedItem(scope.serviceItems, enforcer, { ...input, action: 'define' });
      if (!found.ok) return found;
      const item = found.value;
      const g = item.guard('define_version');
      if (!g.ok) return g;

      const validated = validateProcessDefinition(input.definition, {
        units: new Set(units.map((u) => u.key)),
        roles: new Set(roles.filter((r) => r.scope === 'unit').map((r) => r.key)),
        people: new Set(people.map((p) => p.id)),
        connectors: connectors.configured(),
      });
      const formProblems = forms.check((input.definition as { form?: unknown })?.form, '/form');
      if (!validated.ok || formProblems.length) {
        const problems = [...(validated.ok ? [] : validated.error.problems), ...formProblems];
        return err(new InputError('PROCESS_DEFINITION.INVALID', 'The process definition is invalid', problems));
      }

      let version = await scope.serviceVersions.findDraft(item.id);
      const before = version?.snapshot() ?? null;
      if (version) {
        const r = version.define(validated.value, now);
        if (!r.ok) return r;
        await scope.serviceVersions.save(version);
      } else if (item.state === 'building' && !(await scope.serviceVersions.listByItem(item.id)).length) {
        version = ServiceVersion.draft({
          id: globalThis.crypto.randomUUID(),
          itemId: item.id,
          number: 1,
          definition: validated.value,
          changeReason: null,
          by: input.actor.personId,
          at: now,
        });
        await scope.serviceVersions.add(version);
      } else {
        return err(
          new ConflictError(
            'SERVICE_ITEM.NO_DRAFT',
            'there is no draft version to define: file a change request first',
          ),
        );
      }
      await recordChange(scope, {
        actor: input.actor,
        action: 'service-version.defined',
        entityType: 'service-version',
        entityId: version.id,
        unit: item.owningUnit,
        before,
        after: version.snapshot(),
        at: now,
        event: { itemId: item.id, number: version.number },
      });
      return ok(serviceVersionView(version));
    });
  }
}
