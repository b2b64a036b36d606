import type { Knex } from 'knex';
import type { AuditEntry, AuditTrail } from '../../../application/ports/audit-log.port.js';
import { AuditRow } from './models.js';

export class ObjectionAuditTrail implements AuditTrail {
  constructor(private readonly db: Knex) {}

  async list(o: { entityType?: string; entityId?: string; limit?: number }): Promise<AuditEntry[]> {
    const q = AuditRow.query(this.db).orderBy('seq').limit(o.limit ?? 1000);
    if (o.entityType) q.where('entity_type', o.entityType);
    if (o.entityId) q.where('entity_id', o.entityId);
    const rows = await q;
    return rows.map((r) => ({
      seq: r.seq, id: r.id, at: r.occurred_at, actorId: r.actor_id, action: r.action, entityType: r.entity_type,
      entityId: r.entity_id, unit: r.unit_key, before: r.before, after: r.after, requestId: r.request_id,
    }));
  }
}
