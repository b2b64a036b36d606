import type { ServiceItem } from '../../domain/service-item/service-item.entity.js';
import { allowedCommands } from '../../domain/service-item/service-item-lifecycle.js';
import type { ServiceVersion } from '../../domain/service-item/service-version.entity.js';

/** What the API and the CLI show of a service item. */
export function serviceItemView(item: ServiceItem) {
  const p = item.snapshot();
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    owningUnit: p.owningUnit,
    involvedUnits: p.involvedUnits,
    description: p.description,
    offlineProcedure: p.offlineProcedure,
    state: p.state,
    allowedCommands: allowedCommands(p.state),
    approvals: p.approvals,
    rejection: p.rejection,
    offboardingReason: p.offboardingReason,
    onlineVersionId: p.onlineVersionId,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
export type ServiceItemView = ReturnType<typeof serviceItemView>;

export function serviceVersionView(v: ServiceVersion) {
  const p = v.snapshot();
  return {
    id: p.id,
    itemId: p.itemId,
    number: p.number,
    state: p.state,
    definition: p.definition,
    confirmations: p.confirmations,
    changeReason: p.changeReason,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    launchedAt: p.launchedAt ? p.launchedAt.toISOString() : null,
  };
}
export type ServiceVersionView = ReturnType<typeof serviceVersionView>;
