import type { LoadedPlugin } from '@service-hall/plugin-sdk';
import {
  ConnectorRejectedError,
  type BusinessConnectors,
  type ConnectorRequest,
} from '../../application/ports/business-connectors.port.js';

/**
 * The business connectors the plugins provide, each under its plugin's id (a transfer node names the
 * plugin as its connector). Accepted → the system's reference; retry-later → a failed attempt the
 * queue retries; rejected → a refusal for good, not retried.
 */
export class PluginBusinessConnectors implements BusinessConnectors {
  private readonly byId: ReadonlyMap<string, NonNullable<LoadedPlugin['businessConnector']>>;

  constructor(plugins: readonly LoadedPlugin[]) {
    this.byId = new Map(plugins.flatMap((p) => (p.businessConnector ? [[p.id, p.businessConnector] as const] : [])));
  }

  configured(): ReadonlySet<string> {
    return new Set(this.byId.keys());
  }

  async send(request: ConnectorRequest): Promise<{ reference: string | null }> {
    const connector = this.byId.get(request.connector);
    if (!connector) throw new Error(`no connector '${request.connector}' is configured`);
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
  }
}
