/** What a business system receives when a transfer node hands it a case. */
export interface ConnectorRequest {
  requestId: string;
  connector: string;
  caseNumber: string | null;
  applicationId: string;
  node: string;
  /** Only the form fields the transfer node declares (`connectorFields`). */
  fields: Record<string, unknown>;
  applicant: { id: string; type: string; unit: string };
}

/** The business system refused the case for good (bad data, not eligible): not retried. */
export class ConnectorRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`refused: ${reason}`);
  }
}

/**
 * Departments' systems, by connector id. `send` throws when the system fails or is unknown (the
 * call is tried again later), or a ConnectorRejectedError when it refuses the case for good.
 */
export interface BusinessConnectors {
  /** The ids of the connectors configured in this hall: a definition may name only these. */
  configured(): ReadonlySet<string>;
  /**
   * The configured connectors that cannot take a case now: their breaker is open (calls fail at
   * once) or their system is reported down. Items calling them are degraded: their offline
   * procedure is what applicants need.
   */
  unavailable(): ReadonlySet<string>;
  send(request: ConnectorRequest): Promise<{ reference: string | null }>;
}

/** A call to a business system for one activation of a transfer node. */
export interface ConnectorCall {
  applicationId: string;
  node: string;
  activation: number;
  request: ConnectorRequest;
}

/**
 * Calls queued with the change that causes them, in its transaction, and made after it commits by
 * whichever instance's job worker takes them. The same call (application, node, activation) is
 * queued once; its `requestId`, the idempotency key the business system sees, is the queue's.
 */
export interface ConnectorCallQueue {
  enqueue(call: {
    applicationId: string;
    node: string;
    activation: number;
    request: Omit<ConnectorRequest, 'requestId'>;
  }): Promise<void>;
}
