import type {
  BusinessConnectors, ConnectorDispatchQueue, ConnectorRequest, ConnectorRequestQueue, QueuedConnectorRequest,
} from '../../src/application/ports/business-connectors.port.js';
import type { HallState, InMemoryDatabase } from './in-memory-database.js';

/** Enqueued in the transaction of the action that reached the transfer node; one request per node activation. */
export class InMemoryConnectorRequestQueue implements ConnectorRequestQueue {
  constructor(private readonly state: HallState) {}

  async enqueue(r: { id: string; applicationId: string; node: string; activation: number; connector: string; payload: ConnectorRequest; at: Date }): Promise<void> {
    const queued = [...this.state.connectorRequests.values()];
    if (queued.some((x) => x.applicationId === r.applicationId && x.node === r.node && x.activation === r.activation)) return;
    this.state.connectorRequests.set(r.id, {
      id: r.id, applicationId: r.applicationId, node: r.node, activation: r.activation, connector: r.connector, payload: structuredClone(r.payload),
      attempts: 0, status: 'pending', nextAttemptAt: r.at, leasedUntil: null, reference: null, lastError: null,
    });
  }
}

/** The dispatcher's side, each call its own short transaction, with the lease of KnexConnectorDispatchQueue. */
export class InMemoryConnectorDispatchQueue implements ConnectorDispatchQueue {
  constructor(private readonly db: InMemoryDatabase) {}

  claimDue(o: { now: Date; limit: number; leaseSeconds: number }): Promise<QueuedConnectorRequest[]> {
    return this.db.autocommit((s) => {
      const due = [...s.connectorRequests.values()]
        .filter((r) => r.status === 'pending' && r.nextAttemptAt <= o.now && (r.leasedUntil === null || r.leasedUntil < o.now))
        .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
        .slice(0, o.limit);
      for (const r of due) r.leasedUntil = new Date(o.now.getTime() + o.leaseSeconds * 1000);
      return due.map(({ id, applicationId, node, activation, connector, payload, attempts }) =>
        structuredClone({ id, applicationId, node, activation, connector, payload, attempts }));
    });
  }

  succeeded(id: string, reference: string | null): Promise<void> {
    return this.db.autocommit((s) => {
      const r = s.connectorRequests.get(id)!;
      Object.assign(r, { status: 'succeeded', reference, leasedUntil: null, attempts: r.attempts + 1 });
    });
  }

  failed(id: string, error: string, o: { retryAt: Date | null; at: Date }): Promise<void> {
    return this.db.autocommit((s) => {
      const r = s.connectorRequests.get(id)!;
      Object.assign(r, { status: o.retryAt ? 'pending' : 'abandoned', nextAttemptAt: o.retryAt ?? o.at, leasedUntil: null, lastError: error, attempts: r.attempts + 1 });
    });
  }
}

/** Departments' systems by connector id: each answers with a reference or fails; an unknown id fails. */
export class FakeBusinessConnectors implements BusinessConnectors {
  readonly sent: ConnectorRequest[] = [];
  constructor(readonly systems: Record<string, (r: ConnectorRequest) => string | null> = {}) {}

  async send(request: ConnectorRequest): Promise<{ reference: string | null }> {
    this.sent.push(structuredClone(request));
    const system = this.systems[request.connector];
    if (!system) throw new Error(`unknown connector '${request.connector}'`);
    return { reference: system(request) };
  }
}
