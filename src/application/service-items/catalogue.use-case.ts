import { SERVICE_ITEM_STATES, isInCatalogue } from '../../domain/service-item/service-item-lifecycle.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { ServiceItemProps } from '../../domain/service-item/service-item.entity.js';
import type { BusinessConnectors } from '../ports/business-connectors.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { degradationOf, type Degradation } from './degradation.js';
import { onlineVersions } from './online-versions.js';

export interface CatalogueEntry extends Pick<
  ServiceItemProps,
  'id' | 'code' | 'name' | 'owningUnit' | 'involvedUnits' | 'description' | 'offlineProcedure'
> {
  versionId: string;
  versionNumber: number;
  /** The steps an applicant will go through, in order. */
  nodes: Array<{ key: string; name: string; kind: string }>;
  form: unknown;
  /** Set while a system the item depends on is down: why, and its offline procedure (应急办理方式). */
  degraded: Degradation | null;
}

/** 服务目录: what anyone signed in may apply for — items online, on their current version. */
export class CatalogueUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; connectors: Pick<BusinessConnectors, 'unavailable'> }) {}

  async execute(input: {
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: CatalogueEntry[]; nextCursor: string | null }, never>> {
    return this.deps.uow.run(async (scope) => {
      const page = await scope.serviceItems.list({
        states: SERVICE_ITEM_STATES.filter(isInCatalogue),
        units: 'all',
        limit: input.limit,
        cursor: input.cursor,
      });
      const versions = await onlineVersions(scope, page.items);
      const unavailable = this.deps.connectors.unavailable();
      const items: CatalogueEntry[] = [];
      for (const item of page.items) {
        const version = item.onlineVersionId ? versions.get(item.onlineVersionId) : undefined;
        if (!version?.definition) continue;
        const p = item.snapshot();
        items.push({
          id: p.id,
          code: p.code,
          name: p.name,
          owningUnit: p.owningUnit,
          involvedUnits: p.involvedUnits,
          description: p.description,
          offlineProcedure: p.offlineProcedure,
          versionId: version.id,
          versionNumber: version.number,
          nodes: version.definition.nodes.map((n) => ({ key: n.key, name: n.name, kind: n.kind })),
          form: version.definition.form,
          degraded: degradationOf(version.definition, p.offlineProcedure, unavailable),
        });
      }
      return ok({ items, nextCursor: page.nextCursor });
    });
  }
}
