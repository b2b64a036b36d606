import type {
  BusinessConnectors, ConnectorCall, ConnectorCallQueue, ConnectorRequest,
} from '../../src/application/ports/business-connectors.port.js';
import type { HallState } from './in-memory-database.js';

/**
 * Calls queued in the transaction of the action that reached the transfer node, as the pg-boss
 * adapter queues them: one per (application, node, activation), its id the request's idempotency key.
 */
export class InMemoryConnectorCallQueue implements ConnectorCallQueue {
  constructor(private readonly state: HallState) {}

  async enqueue(call: { applicationId: string; node: string; activation: number; request: Omit<ConnectorRequest, 'requestId'> }): Promise<void> {
    const key = `${call.applicationId}|${call.node}|${call.activation}`;
    if (this.state.connectorCalls.has(key)) return;
    const requestId = `call-${this.state.connectorCalls.size + 1}`;
    this.state.connectorCalls.set(key, structuredClone({ applicationId: call.applicationId, node: call.node, activation: call.activation, request: { ...call.request, requestId } }));
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

export type { ConnectorCall };
