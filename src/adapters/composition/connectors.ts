import type { BusinessConnectors, ConnectorRequest } from '../../application/ports/business-connectors.port.js';

/**
 * The business connectors of the environment (CONNECTORS, plain HTTP) and of the plugins, as one
 * port: each id is served by the one source that configures it; an id configured twice stops the
 * start.
 */
export function combinedConnectors(sources: Record<string, BusinessConnectors>): BusinessConnectors {
  const owner = new Map<string, BusinessConnectors>();
  const named = new Map<string, string>();
  for (const [name, source] of Object.entries(sources)) {
    for (const id of source.configured()) {
      if (owner.has(id)) throw new Error(`connector '${id}' is configured twice: by ${named.get(id)} and by ${name}`);
      owner.set(id, source);
      named.set(id, name);
    }
  }
  return {
    configured: () => new Set(owner.keys()),
    send: (request: ConnectorRequest) => {
      const source = owner.get(request.connector);
      if (!source) return Promise.reject(new Error(`no connector '${request.connector}' is configured`));
      return source.send(request);
    },
  };
}
