import { NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { ServiceItem } from '../../domain/service-item/service-item.entity.js';
import type { ServiceVersion } from '../../domain/service-item/service-version.entity.js';
import type { ServiceItemRepository, ServiceVersionRepository } from '../ports/service-item.repository.port.js';

export async function loadItem(repo: ServiceItemRepository, id: string): Promise<Result<ServiceItem, NotFoundError>> {
  const item = await repo.findById(id);
  return item ? ok(item) : err(new NotFoundError('SERVICE_ITEM.NOT_FOUND', `service item '${id}' does not exist`));
}

export async function loadVersion(repo: ServiceVersionRepository, itemId: string, versionId: string): Promise<Result<ServiceVersion, NotFoundError>> {
  const v = await repo.findById(versionId);
  return v && v.itemId === itemId ? ok(v) : err(new NotFoundError('SERVICE_VERSION.NOT_FOUND', `version '${versionId}' of this service item does not exist`));
}
