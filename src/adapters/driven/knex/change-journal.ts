import type { AuditEntryInput, AuditLog } from '../../../application/ports/audit-log.port.js';
import type { Outbox, OutboxEvent } from '../../../application/ports/outbox.port.js';
import type { Knex } from 'knex';
import { StatementBatch } from './statement-batch.js';

/**
 * The audit entries and outbox events of one transaction, added to its statement batch just before
 * it commits: still one transaction with the change, and no round trip of their own.
 */
export class ChangeJournal {
  private readonly audits: Record<string, unknown>[] = [];
  private readonly events: Record<string, unknown>[] = [];

  readonly audit: AuditLog = {
    record: async (e: AuditEntryInput) => {
      this.audits.push({
        id: globalThis.crypto.randomUUID(),
        occurred_at: e.at,
        actor_id: e.actorId,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        unit_key: e.unit ?? null,
        before: e.before ?? null,
        after: e.after ?? null,
        request_id: e.requestId ?? null,
      });
    },
  };

  readonly outbox: Outbox = {
    enqueue: async (e: OutboxEvent) => {
      this.events.push({
        id: globalThis.crypto.randomUUID(),
        topic: e.topic,
        aggregate_type: e.aggregateType,
        aggregate_id: e.aggregateId,
        payload: e.payload,
        occurred_at: e.at,
      });
    },
  };

  /**
   * What the transaction's events are about, for the metrics once it commits: each event's topic,
   * with the unit of the audit entry on the same entity (its change), if any.
   */
  changes(): Array<{ topic: string; unit: string | null }> {
    const units = new Map(this.audits.map((a) => [a.entity_id as string, (a.unit_key as string | null) ?? null]));
    return this.events.map((e) => ({ topic: e.topic as string, unit: units.get(e.aggregate_id as string) ?? null }));
  }

  /** Writes the entries now, in one statement (for stores that keep their own transaction). */
  async flush(trx: Knex.Transaction): Promise<void> {
    const batch = new StatementBatch(trx);
    this.flushInto(batch);
    await batch.flush();
  }

  /** One INSERT per table, each row's values bound as one JSON document. */
  flushInto(batch: StatementBatch): void {
    if (this.audits.length) {
      batch.add({
        sql: `INSERT INTO audit_log (id, occurred_at, actor_id, action, entity_type, entity_id, unit_key, before, after, request_id)
          SELECT id, occurred_at, actor_id, action, entity_type, entity_id, unit_key, before, after, request_id
          FROM jsonb_to_recordset(?::jsonb) AS x(id uuid, occurred_at timestamptz, actor_id text, action text, entity_type text, entity_id text, unit_key text, before jsonb, after jsonb, request_id text)`,
        bindings: [JSON.stringify(this.audits)],
      });
    }
    if (this.events.length) {
      batch.add({
        sql: `INSERT INTO outbox (id, topic, aggregate_type, aggregate_id, payload, occurred_at)
          SELECT id, topic, aggregate_type, aggregate_id, payload, occurred_at
          FROM jsonb_to_recordset(?::jsonb) AS x(id uuid, topic text, aggregate_type text, aggregate_id text, payload jsonb, occurred_at timestamptz)`,
        bindings: [JSON.stringify(this.events)],
      });
    }
    this.audits.length = 0;
    this.events.length = 0;
  }
}
