import type { ConnectorCallQueue, ConnectorRequest } from '../../../application/ports/business-connectors.port.js';
import type { StatementBatch } from '../knex/statement-batch.js';
import { QUEUES } from './boss-db.js';
import { insertJobs, jobId } from './job-rows.js';

/** The job data of a connector call. */
export interface ConnectorJobData {
  applicationId: string;
  node: string;
  activation: number;
  request: ConnectorRequest;
}

/**
 * Connector calls as jobs of the `connector-call` queue, written with the rest of the transaction's
 * statement batch. The job id comes from the application, node and activation: queuing the same call
 * twice adds nothing, and it is the idempotency key the business system sees on every attempt.
 */
export class BossConnectorCalls implements ConnectorCallQueue {
  constructor(private readonly batch: StatementBatch) {}

  async enqueue(call: {
    applicationId: string;
    node: string;
    activation: number;
    request: Omit<ConnectorRequest, 'requestId'>;
  }): Promise<void> {
    const id = jobId(`connector|${call.applicationId}|${call.node}|${call.activation}`);
    const data: ConnectorJobData = {
      applicationId: call.applicationId,
      node: call.node,
      activation: call.activation,
      request: { ...call.request, requestId: id },
    };
    this.batch.add(insertJobs([{ id, name: QUEUES.connector, data }]));
  }
}
