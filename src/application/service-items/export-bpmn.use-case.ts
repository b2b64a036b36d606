import { ConflictError, type NotAllowedError, type NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { BpmnConverter } from '../ports/bpmn.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorizeAny } from '../shared/authorize.js';
import { loadItem, loadVersion } from './load.js';

/**
 * A version's process definition as BPMN 2.0 XML with its diagram (docs/bpmn.md), to open in bpmn.io
 * or Camunda Modeler. Readable by whoever may read the item and its versions (GetServiceItemUseCase):
 * the service admins of its units, the global offices and auditors.
 */
export class ExportBpmnUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; bpmn: BpmnConverter }) {}

  async execute(input: {
    actor: Actor;
    itemId: string;
    versionId: string;
  }): Promise<Result<string, NotFoundError | NotAllowedError | ConflictError>> {
    const found = await this.deps.uow.run(async (scope) => {
      const item = await loadItem(scope.serviceItems, input.itemId);
      if (!item.ok) return item;
      const allowed = await authorizeAny(this.deps.enforcer, input.actor, {
        units: [ALL_UNITS, ...item.value.involvedUnits],
        object: 'service-item',
        action: 'read',
      });
      if (!allowed.ok) return allowed;
      const version = await loadVersion(scope.serviceVersions, item.value.id, input.versionId);
      if (!version.ok) return version;
      return ok({ name: item.value.name, definition: version.value.definition });
    });
    if (!found.ok) return found;
    const { name, definition } = found.value;
    if (!definition)
      return err(new ConflictError('SERVICE_VERSION.NO_DEFINITION', 'this version has no process definition yet'));
    return ok(await this.deps.bpmn.toBpmn(definition, { name }));
  }
}
