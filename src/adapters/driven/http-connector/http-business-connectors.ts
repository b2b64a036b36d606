import CircuitBreaker from 'opossum';
import type { BusinessConnectors, ConnectorRequest } from '../../../application/ports/business-connectors.port.js';

export interface HttpConnectorConfig {
  url: string;
  timeoutMs: number;
  token?: string;
}

/**
 * Each configured connector POSTs the case as JSON to its department's system (Idempotency-Key =
 * request id, so a retried call is recognised) behind its own opossum circuit breaker: a system that
 * keeps failing is not called again until the breaker half-opens.
 */
export class HttpBusinessConnectors implements BusinessConnectors {
  private readonly breakers = new Map<string, CircuitBreaker<[ConnectorRequest], { reference: string | null }>>();

  constructor(
    connectors: Record<string, HttpConnectorConfig>,
    breaker: { resetTimeoutMs: number; volumeThreshold: number } = { resetTimeoutMs: 30_000, volumeThreshold: 3 },
  ) {
    for (const [id, c] of Object.entries(connectors)) {
      this.breakers.set(
        id,
        new CircuitBreaker((r: ConnectorRequest) => post(c, r), {
          timeout: false,
          errorThresholdPercentage: 50,
          resetTimeout: breaker.resetTimeoutMs,
          volumeThreshold: breaker.volumeThreshold,
          name: id,
        }),
      );
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

  /** For metrics and drills: which connectors' breakers are open. */
  openCircuits(): string[] {
    return [...this.breakers].filter(([, b]) => b.opened).map(([id]) => id);
  }

  shutdown(): void {
    for (const b of this.breakers.values()) b.shutdown();
  }
}

async function post(c: HttpConnectorConfig, r: ConnectorRequest): Promise<{ reference: string | null }> {
  const res = await fetch(c.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': r.requestId,
      ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
    },
    body: JSON.stringify(r),
    signal: AbortSignal.timeout(c.timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${r.connector} answered ${res.status}: ${text.slice(0, 200)}`);
  try {
    const body = JSON.parse(text) as { reference?: unknown };
    return { reference: typeof body.reference === 'string' ? body.reference : null };
  } catch {
    return { reference: null };
  }
}
