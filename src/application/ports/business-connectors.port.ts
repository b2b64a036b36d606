/** What a business system receives when a transfer node hands it a case. */
export interface ConnectorRequest {
  requestId: string;
  connector: string;
  caseNumber: string | null;
  applicationId: string;
  node: string;
  form: Record<string, unknown>;
  applicant: { id: string; type: string; unit: string };
}

/** Departments' systems, by connector id. `send` throws when the system fails or is unknown. */
export interface BusinessConnectors {
  send(request: ConnectorRequest): Promise<{ reference: string | null }>;
}

export interface QueuedConnectorRequest { id: string; applicationId: string; node: string; activation: number; connector: string; payload: ConnectorRequest; attempts: number }

/** Work queue of connector calls. `enqueue` is transaction-bound; claims hold a lease so one instance sends each. */
export interface ConnectorRequestQueue {
  enqueue(r: { id: string; applicationId: string; node: string; activation: number; connector: string; payload: ConnectorRequest; at: Date }): Promise<void>;
}

export interface ConnectorDispatchQueue {
  claimDue(options: { now: Date; limit: number; leaseSeconds: number }): Promise<QueuedConnectorRequest[]>;
  succeeded(id: string, reference: string | null, at: Date): Promise<void>;
  failed(id: string, error: string, options: { retryAt: Date | null; at: Date }): Promise<void>;
}
