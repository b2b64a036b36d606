import type { ServiceItem } from '../../domain/service-item/service-item.entity.js';
import type { ServiceVersion } from '../../domain/service-item/service-version.entity.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';

/** The online versions of a page of items, by id: one query for the page, not one per item. */
export async function onlineVersions(
  scope: TransactionScope,
  items: readonly ServiceItem[],
): Promise<Map<string, ServiceVersion>> {
  const ids = items.flatMap((i) => (i.onlineVersionId ? [i.onlineVersionId] : []));
  return new Map((await scope.serviceVersions.findByIds(ids)).map((v) => [v.id, v]));
}
