import type {
  BusinessConnectors,
  ConnectorCall,
  ConnectorCallQueue,
  ConnectorRequest,
} from '../../src/application/ports/business-connectors.port.js';
import type { HallState } from './in-memory-database.js';
import { insertJob, QUEUES } from './in-memory-jobs.js';

/**
 * Calls queued in the transaction of the action that reached the transfer node, as jobs of the
 * connector-call queue like the pg-boss adapter's: one per (application, node, activation), its id
 * the request's idempotency key.
 */
export class InMemoryConnectorCallQueue implements ConnectorCallQueue {
  constructor(private readonly state: HallState) {}

  async enqueue(call: {
    applicationId: string;
    node: string;
    activation: number;
    request: Omit<ConnectorRequest, 'requestId'>;
  }): Promise<void> {
    const id = `connector|${call.applicationId}|${call.node}|${call.activation}`;
    const data: ConnectorCall = {
      applicationId: call.applicationId,
      node: call.node,
      activation: call.activation,
      request: { ...call.request, requestId: id },
    };
    insertJob(this.state, { queue: QUEUES.connector, id, data: data as unknown as Record<string, unknown> });
  }
}

/** Departments' systems by connector id: each answers with a reference or fails; an unknown id fails. */
export class FakeBusinessConnectors implements BusinessConnectors {
  readonly sent: ConnectorRequest[] = [];
  /** The connectors a test says are down. */
  readonly down = new Set<string>();
  constructor(readonly systems: Record<string, (r: ConnectorRequest) => string | null> = {}) {}

  configured(): ReadonlySet<string> {
    return new Set(Object.keys(this.systems));
  }

  unavailable(): ReadonlySet<string> {
    return new Set([...this.down].filter((c) => c in this.systems));
  }

  async send(request: ConnectorRequest): Promise<{ reference: string | null }> {
    this.sent.push(structuredClone(request));
    const system = this.systems[request.connector];
    if (!system) throw new Error(`unknown connector '${request.connector}'`);
    return { reference: system(request) };
  }
}

export type { ConnectorCall };
