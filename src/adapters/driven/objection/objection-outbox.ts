import type { Knex } from 'knex';
import type { Outbox, OutboxEvent } from '../../../application/ports/outbox.port.js';
import { OutboxRow } from './models.js';

export class ObjectionOutbox implements Outbox {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async enqueue(e: OutboxEvent): Promise<void> {
    await OutboxRow.query(this.db).insert({
      id: globalThis.crypto.randomUUID(), topic: e.topic, aggregate_type: e.aggregateType,
      aggregate_id: e.aggregateId, payload: e.payload, occurred_at: e.at,
    });
  }
}
