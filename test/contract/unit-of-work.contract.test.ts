import type { AuditEntry } from '../../src/application/ports/audit-log.port.js';
import { KnexAuditTrail } from '../../src/adapters/driven/knex/knex-audit-trail.js';
import { fakeSide, realSide } from './sides.js';
import { unitOfWorkContract } from './unit-of-work.contract.js';

const input = ({ seq: _seq, id: _id, ...rest }: AuditEntry) => rest;

unitOfWorkContract('InMemoryUnitOfWork', async () => {
  const side = fakeSide();
  return {
    ...side,
    committed: {
      audit: async (entityId) => side.db.state.audit.filter((e) => e.entityId === entityId).map(input),
      outbox: async (aggregateId) => side.db.state.outbox.filter((e) => e.aggregateId === aggregateId),
    },
  };
});

unitOfWorkContract('KnexUnitOfWork (real PostgreSQL)', async () => {
  const side = await realSide();
  return {
    ...side,
    committed: {
      audit: async (entityId) =>
        (await new KnexAuditTrail(side.knex).list({ entityId, limit: 100 })).items.reverse().map(input),
      outbox: async (aggregateId) =>
        (await side.knex('outbox').where({ aggregate_id: aggregateId }).orderBy('seq')).map(
          (r: {
            topic: string;
            aggregate_type: string;
            aggregate_id: string;
            payload: Record<string, unknown>;
            occurred_at: Date;
          }) => ({
            topic: r.topic,
            aggregateType: r.aggregate_type,
            aggregateId: r.aggregate_id,
            payload: r.payload,
            at: r.occurred_at,
          }),
        ),
    },
  };
});
