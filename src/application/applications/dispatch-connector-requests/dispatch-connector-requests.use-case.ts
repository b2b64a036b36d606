import type { Actor } from '../../ports/actor.js';
import type { BusinessConnectors, ConnectorDispatchQueue } from '../../ports/business-connectors.port.js';
import type { Clock } from '../../ports/clock.port.js';
import type { UnitOfWork } from '../../ports/unit-of-work.port.js';
import { recordChange } from '../../shared/record-change.js';

const SYSTEM: Actor = { personId: 'system', requestId: 'connector-dispatcher' };
export const MAX_CONNECTOR_ATTEMPTS = 8;

/** 30 s, 1 min, 2 min … capped at 1 hour. */
export const retryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/**
 * Sends queued connector calls to departments' systems, outside any user's request. A failing system
 * never blocks the hall: its call is retried with back-off, and after the last attempt it is
 * abandoned and the history says so — the unit's own task at the transfer node stands regardless.
 */
export class DispatchConnectorRequestsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock; connectors: BusinessConnectors; dispatchQueue: ConnectorDispatchQueue }) {}

  async runOnce(options: { limit?: number } = {}): Promise<{ sent: number; failed: number; abandoned: number }> {
    const { clock, dispatchQueue, connectors } = this.deps;
    const claimed = await dispatchQueue.claimDue({ now: clock.now(), limit: options.limit ?? 20, leaseSeconds: 120 });
    const tally = { sent: 0, failed: 0, abandoned: 0 };
    for (const r of claimed) {
      try {
        const { reference } = await connectors.send(r.payload);
        await dispatchQueue.succeeded(r.id, reference, clock.now());
        await this.record(r.applicationId, { node: r.node, connector: r.connector, succeeded: true, reference });
        tally.sent++;
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        const attempts = r.attempts + 1;
        const giveUp = attempts >= MAX_CONNECTOR_ATTEMPTS;
        const at = clock.now();
        await dispatchQueue.failed(r.id, error, { retryAt: giveUp ? null : new Date(at.getTime() + retryDelayMs(attempts)), at });
        if (giveUp) {
          await this.record(r.applicationId, { node: r.node, connector: r.connector, succeeded: false, error: `gave up after ${attempts} attempts: ${error}` });
          tally.abandoned++;
        } else {
          tally.failed++;
        }
      }
    }
    return tally;
  }

  private async record(applicationId: string, o: { node: string; connector: string; succeeded: boolean; reference?: string | null; error?: string }): Promise<void> {
    const at = this.deps.clock.now();
    await this.deps.uow.run(async (scope) => {
      const a = await scope.applications.findById(applicationId, { forUpdate: true });
      if (!a) return;
      a.recordConnectorOutcome(o, at);
      await scope.applications.save(a);
      await recordChange(scope, {
        actor: SYSTEM, action: o.succeeded ? 'connector.succeeded' : 'connector.abandoned', entityType: 'application', entityId: a.id,
        unit: a.owningUnit, before: null, after: o, at, event: { connector: o.connector, node: o.node },
      });
    });
  }
}
