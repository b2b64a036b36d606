import CircuitBreaker from 'opossum';
import type { LoadedPlugin } from '@service-hall/plugin-sdk';
import {
  ConnectorRejectedError,
  type BusinessConnectors,
  type ConnectorRequest,
} from '../../application/ports/business-connectors.port.js';

type Call = (request: ConnectorRequest) => Promise<{ reference: string | null }>;

/**
 * The business connectors the plugins provide, each under its plugin's id (a transfer node names the
 * plugin as its connector). Accepted → the system's reference; retry-later → a failed attempt the
 * queue retries; rejected → a refusal for good, not retried. Each plugin's calls go through an
 * opossum breaker of their own: a plugin whose calls keep failing (or timing out) is not called
 * again until the breaker half-opens; its jobs wait for their retries. A refusal is an answer and
 * does not count against it.
 */
export class PluginBusinessConnectors implements BusinessConnectors {
  private readonly breakers = new Map<string, CircuitBreaker<[ConnectorRequest], { reference: string | null }>>();
  private readonly plugins: readonly LoadedPlugin[];

  /**
   * `shared`: where the breakers' openings are told to the other instances and learnt from them —
   * the worker that calls a system is seldom the instance that answers /readyz and the catalogue.
   */
  constructor(
    plugins: readonly LoadedPlugin[],
    breaker: { resetTimeoutMs: number; volumeThreshold: number } = { resetTimeoutMs: 30_000, volumeThreshold: 3 },
    private readonly shared?: {
      opened(connector: string): void;
      closed(connector: string): void;
      openElsewhere(): ReadonlySet<string>;
      stop(): void;
    },
  ) {
    this.plugins = plugins.filter((p) => p.businessConnector);
    for (const p of plugins) {
      if (!p.businessConnector) continue;
      const b = new CircuitBreaker(callOf(p.businessConnector), {
        timeout: false, // the SDK's guard holds each call to its deadline
        errorThresholdPercentage: 50,
        resetTimeout: breaker.resetTimeoutMs,
        volumeThreshold: breaker.volumeThreshold,
        errorFilter: (e: unknown) => e instanceof ConnectorRejectedError,
        name: `plugin:${p.id}`,
      });
      b.on('open', () => this.shared?.opened(p.id));
      b.on('close', () => this.shared?.closed(p.id));
      this.breakers.set(p.id, b);
    }
  }

  configured(): ReadonlySet<string> {
    return new Set(this.breakers.keys());
  }

  async send(request: ConnectorRequest): Promise<{ reference: string | null }> {
    const breaker = this.breakers.get(request.connector);
    if (!breaker) throw new Error(`no connector '${request.connector}' is configured`);
    return breaker.fire(request);
  }

  /** Connectors whose breaker is open here or in another instance, or whose plugin last said its system is down. */
  unavailable(): ReadonlySet<string> {
    return new Set([
      ...this.openBreakers(),
      ...[...(this.shared?.openElsewhere() ?? [])].filter((id) => this.breakers.has(id)),
      ...this.plugins.filter((p) => p.health().status === 'down').map((p) => p.id),
    ]);
  }

  /** The plugins whose breaker is open (their calls fail at once until it half-opens). */
  openBreakers(): string[] {
    return [...this.breakers].filter(([, b]) => b.opened).map(([id]) => id);
  }

  shutdown(): void {
    this.shared?.stop();
    for (const b of this.breakers.values()) b.shutdown();
  }
}

function callOf(connector: NonNullable<LoadedPlugin['businessConnector']>): Call {
  return async (request) => {
    const result = await connector.call({
      caseNumber: request.caseNumber,
      applicationId: request.applicationId,
      node: request.node,
      fields: request.fields,
      applicant: { ...request.applicant, type: request.applicant.type === 'student' ? 'student' : 'staff' },
      idempotencyKey: request.requestId,
    });
    if (result.outcome === 'accepted') return { reference: result.reference ?? null };
    if (result.outcome === 'rejected') throw new ConnectorRejectedError(result.reason);
    throw new Error(result.reason);
  };
}
