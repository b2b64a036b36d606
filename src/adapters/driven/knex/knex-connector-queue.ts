import type { Knex } from 'knex';
import type { ConnectorDispatchQueue, ConnectorRequest, ConnectorRequestQueue, QueuedConnectorRequest } from '../../../application/ports/business-connectors.port.js';

export class KnexConnectorRequestQueue implements ConnectorRequestQueue {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async enqueue(r: { id: string; applicationId: string; node: string; activation: number; connector: string; payload: ConnectorRequest; at: Date }): Promise<void> {
    await this.db('connector_requests').insert({
      id: r.id, application_id: r.applicationId, node_key: r.node, activation: r.activation, connector: r.connector,
      payload: JSON.stringify(r.payload), status: 'pending', next_attempt_at: r.at, created_at: r.at, updated_at: r.at,
    }).onConflict(['application_id', 'node_key', 'activation']).ignore();
  }
}

/** Claims take a lease in one short statement (SKIP LOCKED), so instances never send the same request at once. */
export class KnexConnectorDispatchQueue implements ConnectorDispatchQueue {
  constructor(private readonly knex: Knex) {}

  async claimDue(o: { now: Date; limit: number; leaseSeconds: number }): Promise<QueuedConnectorRequest[]> {
    const { rows } = await this.knex.raw<{ rows: Array<{ id: string; application_id: string; node_key: string; activation: number; connector: string; payload: ConnectorRequest; attempts: number }> }>(`
      UPDATE connector_requests SET leased_until = :leaseUntil, updated_at = :now
       WHERE id IN (SELECT id FROM connector_requests
                     WHERE status = 'pending' AND next_attempt_at <= :now AND (leased_until IS NULL OR leased_until < :now)
                     ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
      RETURNING id, application_id, node_key, activation, connector, payload, attempts`,
    { now: o.now, leaseUntil: new Date(o.now.getTime() + o.leaseSeconds * 1000), limit: o.limit });
    return rows.map((r) => ({ id: r.id, applicationId: r.application_id, node: r.node_key, activation: r.activation, connector: r.connector, payload: r.payload, attempts: r.attempts }));
  }

  async succeeded(id: string, reference: string | null, at: Date): Promise<void> {
    await this.knex('connector_requests').where({ id }).update({ status: 'succeeded', reference, leased_until: null, attempts: this.knex.raw('attempts + 1'), updated_at: at });
  }

  async failed(id: string, error: string, o: { retryAt: Date | null; at: Date }): Promise<void> {
    await this.knex('connector_requests').where({ id }).update({
      status: o.retryAt ? 'pending' : 'abandoned', next_attempt_at: o.retryAt ?? o.at, leased_until: null,
      last_error: error.slice(0, 1000), attempts: this.knex.raw('attempts + 1'), updated_at: o.at,
    });
  }
}
