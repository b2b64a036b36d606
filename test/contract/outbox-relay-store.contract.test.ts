import { PgOutboxRelayStore } from '../../src/adapters/driven/knex/pg-outbox-relay-store.js';
import type { OutboxRecord } from '../../src/application/ports/outbox-relay.port.js';
import { FakeOutboxRelayStore } from '../fakes/fake-outbox-relay.js';
import { createTestDatabase } from '../fixtures/test-database.js';
import { outboxRelayStoreContract } from './outbox-relay-store.contract.js';

outboxRelayStoreContract('the fake relay store', async () => {
  const store = new FakeOutboxRelayStore();
  return {
    store,
    add: async (aggregate) => store.add(aggregate, 'application.updated'),
    requestRetry: async (sink) => {
      for (const p of store.sink(sink).parked.values()) p.retry = true;
    },
    close: async () => {},
  };
});

outboxRelayStoreContract('the PostgreSQL relay store (snapshot cursor, advisory lock)', async () => {
  const db = await createTestDatabase();
  await db.knex('outbox').delete();
  const store = new PgOutboxRelayStore(db.knex, db.url);
  return {
    store,
    add: async (aggregate) => {
      const [aggregateType, aggregateId] = aggregate.split('/') as [string, string];
      const [r] = await db
        .knex('outbox')
        .insert({
          id: globalThis.crypto.randomUUID(),
          topic: 'application.updated',
          aggregate_type: aggregateType,
          aggregate_id: aggregateId,
          payload: { aggregate },
          occurred_at: new Date('2026-11-01T00:00:00Z'),
        })
        .returning('*');
      return {
        seq: Number(r.seq),
        id: r.id,
        topic: r.topic,
        aggregateType,
        aggregateId,
        payload: r.payload,
        occurredAt: r.occurred_at,
      } satisfies OutboxRecord;
    },
    requestRetry: async (sink) => {
      await db.knex('outbox_parked').where({ sink }).update({ retry_requested_at: new Date() });
    },
    close: () => db.drop(),
  };
});
