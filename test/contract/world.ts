import type { Person } from '../../src/application/ports/organisation.port.js';
import type { ProcessDefinition } from '../../src/domain/process-definition/process-definition.js';
import type { ServiceItem } from '../../src/domain/service-item/service-item.entity.js';
import type { ServiceVersion } from '../../src/domain/service-item/service-version.entity.js';
import type { ApplicationWorld } from '../mothers/application.mother.js';
import { PersonMother, UnitMother } from '../mothers/organisation.mother.js';
import { ProcessDefinitionMother } from '../mothers/process-definition.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../mothers/service-item.mother.js';
import type { Side } from './sides.js';

export interface ContractWorld extends ApplicationWorld {
  item: ServiceItem;
  version: ServiceVersion;
  handler: Person;
}

/**
 * The university's units, an applicant, a finance handler and one online item on a version with
 * `definition`, written through the ports (units aside): what an application needs to be stored.
 * Each call makes a new item and new people, so cases sharing one side stay apart.
 */
export async function seedWorld(
  side: Side,
  definition: ProcessDefinition = ProcessDefinitionMother.create(),
): Promise<ContractWorld> {
  await side.seedUnits(...UnitMother.university());
  const applicant = PersonMother.student();
  const handler = PersonMother.staff();
  const itemId = globalThis.crypto.randomUUID();
  const version = ServiceVersionMother.online({ itemId, definition });
  const item = ServiceItemMother.online({ id: itemId, onlineVersionId: version.id });
  await side.uow.run(async (scope) => {
    for (const p of [applicant, handler]) await scope.personnel.upsert(p, new Date());
    await scope.serviceItems.add(item);
    await scope.serviceVersions.add(version);
  });
  return {
    item,
    version,
    handler,
    itemId,
    owningUnit: item.owningUnit,
    versionId: version.id,
    definition,
    applicant,
    pools: { 'handler@finance': [handler.id] },
  };
}
