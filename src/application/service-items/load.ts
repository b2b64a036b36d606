import { NotFoundError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { ServiceItem } from '../../domain/service-item/service-item.entity.js';
import type { ServiceVersion } from '../../domain/service-item/service-version.entity.js';
import type { Actor } from '../ports/actor.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { ServiceItemRepository, ServiceVersionRepository } from '../ports/service-item.repository.port.js';
import { authorize } from '../shared/authorize.js';

export async function loadItem(
  repo: ServiceItemRepository,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Result<ServiceItem, NotFoundError>> {
  const item = await repo.findById(id, options);
  return item ? ok(item) : err(new NotFoundError('SERVICE_ITEM.NOT_FOUND', `service item '${id}' does not exist`));
}

/** Loads an item the actor may act on as its owning unit (404 before 403, so ids are checked first). */
export async function loadOwnedItem(
  repo: ServiceItemRepository,
  enforcer: PolicyEnforcer,
  input: { actor: Actor; itemId: string; action: string; forUpdate?: boolean },
): Promise<Result<ServiceItem, NotFoundError | NotAllowedError>> {
  const found = await loadItem(repo, input.itemId, { forUpdate: input.forUpdate });
  if (!found.ok) return found;
  const allowed = await authorize(enforcer, input.actor, {
    unit: found.value.owningUnit,
    object: 'service-item',
    action: input.action,
  });
  return allowed.ok ? found : allowed;
}

export async function loadVersion(
  repo: ServiceVersionRepository,
  itemId: string,
  versionId: string,
): Promise<Result<ServiceVersion, NotFoundError>> {
  const v = await repo.findById(versionId);
  return v && v.itemId === itemId
    ? ok(v)
    : err(new NotFoundError('SERVICE_VERSION.NOT_FOUND', `version '${versionId}' of this service item does not exist`));
}
