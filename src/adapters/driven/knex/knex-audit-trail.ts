import type { Knex } from 'knex';
import type { AuditEntry, AuditTrail } from '../../../application/ports/audit-log.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { decodeSeqCursor, encodeCursor } from './cursor.js';

interface AuditRow {
  seq: number;
  id: string;
  occurred_at: Date;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  unit_key: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

/**
 * Pages on seq after the cursor, within the filters: audit_log_by_entity (entity_type, entity_id, seq),
 * audit_log_by_type (entity_type, seq) or the primary key serve each filter in seq order, so a page
 * reads a page of entries however long the log.
 */
export class KnexAuditTrail implements AuditTrail {
  constructor(private readonly db: Knex) {}

  async list(o: { entityType?: string; entityId?: string; limit: number; cursor?: string }): Promise<Page<AuditEntry>> {
    const q = this.db<AuditRow>('audit_log')
      .orderBy('seq')
      .limit(o.limit + 1);
    if (o.entityType) q.where('entity_type', o.entityType);
    if (o.entityId) q.where('entity_id', o.entityId);
    if (o.cursor) q.where('seq', '>', decodeSeqCursor(o.cursor));
    const rows = (await q) as AuditRow[];
    const page = rows.slice(0, o.limit);
    return {
      items: page.map((r) => ({
        seq: r.seq,
        id: r.id,
        at: r.occurred_at,
        actorId: r.actor_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        unit: r.unit_key,
        before: r.before,
        after: r.after,
        requestId: r.request_id,
      })),
      nextCursor: rows.length > o.limit ? encodeCursor(String(page[page.length - 1]!.seq)) : null,
    };
  }
}
