import { connectorsUsed } from '../../domain/service-item/launch-gate.js';
import { SERVICE_ITEM_STATES, isInCatalogue } from '../../domain/service-item/service-item-lifecycle.js';
import type { BusinessConnectors } from '../ports/business-connectors.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { onlineVersions } from './online-versions.js';

export interface UnconfiguredConnector {
  code: string;
  itemId: string;
  versionId: string;
  node: string;
  connector: string;
}

/**
 * The transfer nodes of online items whose business system this hall does not have configured (a
 * connector removed from the configuration after the item went online): their calls would fail
 * until it is configured again. The hall names them when it starts.
 */
export class UnconfiguredConnectorsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; connectors: Pick<BusinessConnectors, 'configured'> }) {}

  async execute(): Promise<UnconfiguredConnector[]> {
    const configured = this.deps.connectors.configured();
    return this.deps.uow.run(async (scope) => {
      const out: UnconfiguredConnector[] = [];
      let cursor: string | undefined;
      do {
        const page = await scope.serviceItems.list({
          states: SERVICE_ITEM_STATES.filter(isInCatalogue),
          units: 'all',
          limit: 200,
          cursor,
        });
        const byId = await onlineVersions(scope, page.items);
        for (const item of page.items) {
          const version = item.onlineVersionId ? byId.get(item.onlineVersionId) : undefined;
          if (!version?.definition) continue;
          for (const used of connectorsUsed(version.definition)) {
            if (!configured.has(used.connector)) {
              out.push({ code: item.code, itemId: item.id, versionId: version.id, ...used });
            }
          }
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    });
  }
}
