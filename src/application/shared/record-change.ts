import type { Actor } from '../ports/actor.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';

/**
 * Every state change writes its audit entry and its outbox event through this one function,
 * inside the same transaction as the change itself.
 */
export async function recordChange(
  scope: TransactionScope,
  c: {
    actor: Actor;
    /** 'service-item.approved': also the outbox topic. */
    action: string;
    entityType: string;
    entityId: string;
    unit: string | null;
    before: unknown;
    after: unknown;
    at: Date;
    event?: Record<string, unknown>;
  },
): Promise<void> {
  await scope.audit.record({
    actorId: c.actor.personId,
    action: c.action,
    entityType: c.entityType,
    entityId: c.entityId,
    unit: c.unit,
    before: c.before,
    after: c.after,
    requestId: c.actor.requestId,
    at: c.at,
  });
  await scope.outbox.enqueue({
    topic: c.action,
    aggregateType: c.entityType,
    aggregateId: c.entityId,
    at: c.at,
    payload: { actor: c.actor.personId, ...(c.event ?? {}) },
  });
}
