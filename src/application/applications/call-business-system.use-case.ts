import type { Actor } from '../ports/actor.js';
import {
  ConnectorRejectedError,
  type BusinessConnectors,
  type ConnectorCall,
} from '../ports/business-connectors.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';

const SYSTEM: Actor = { personId: 'system', requestId: 'connector-call' };

/** One attempt of a queued call, as a job worker hands it over. */
export interface ConnectorCallJob {
  queue: string;
  id: string;
  call: ConnectorCall;
  /** 1 for the first attempt. */
  attempt: number;
  /** How many attempts the queue makes in all: after the last one the call is given up. */
  attempts: number;
}

/**
 * Makes a business system's call for a transfer node, outside any user's request. A failing system
 * never blocks the hall: the queue retries the call with back-off, and after the last attempt it is
 * given up and the application's history says so — the unit's own task at the transfer node stands
 * regardless. What the system answered, its audit entry and the job's end commit together.
 */
export class CallBusinessSystemUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock; connectors: BusinessConnectors }) {}

  async call(job: ConnectorCallJob): Promise<'sent' | 'failed' | 'abandoned'> {
    const { call } = job;
    let reference: string | null;
    try {
      ({ reference } = await this.deps.connectors.send(call.request));
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (e instanceof ConnectorRejectedError) {
        // a refusal for good: recorded, and the job ends (no retry would change the answer)
        await this.deps.uow.run(async (scope) => {
          await this.record(scope, call, { succeeded: false, error });
          await scope.jobs.complete(job);
        });
        return 'abandoned';
      }
      if (job.attempt < job.attempts) {
        await this.deps.uow.run((scope) => scope.jobs.fail(job, error));
        return 'failed';
      }
      await this.deps.uow.run(async (scope) => {
        await this.record(scope, call, { succeeded: false, error: `gave up after ${job.attempt} attempts: ${error}` });
        await scope.jobs.fail(job, error);
      });
      return 'abandoned';
    }
    await this.deps.uow.run(async (scope) => {
      await this.record(scope, call, { succeeded: true, reference });
      await scope.jobs.complete(job);
    });
    return 'sent';
  }

  private async record(
    scope: TransactionScope,
    call: ConnectorCall,
    outcome: { succeeded: boolean; reference?: string | null; error?: string },
  ): Promise<void> {
    const at = this.deps.clock.now();
    const a = await scope.applications.findById(call.applicationId, { forUpdate: true });
    if (!a) return;
    const o = { node: call.node, connector: call.request.connector, ...outcome };
    a.recordConnectorOutcome(o, at);
    await scope.applications.save(a);
    await recordChange(scope, {
      actor: SYSTEM,
      action: o.succeeded ? 'connector.succeeded' : 'connector.abandoned',
      entityType: 'application',
      entityId: a.id,
      unit: a.owningUnit,
      before: null,
      after: o,
      at,
      event: { connector: o.connector, node: o.node, requestId: call.request.requestId },
    });
  }
}
