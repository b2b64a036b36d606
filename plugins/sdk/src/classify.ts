import type { BusinessConnectorResult } from './extension-points.js';
import { PluginHttpError } from './services.js';

type Classified = Exclude<BusinessConnectorResult, { outcome: 'accepted' }>;

/**
 * What an HTTP status means for a call: 2xx accepted; 408 and 429 retry later (the system asks
 * for time); any other 4xx rejected (the request itself is wrong: another try gives the same);
 * 5xx and anything else retry later.
 */
export function classifyStatus(status: number): 'accepted' | 'rejected' | 'retry-later' {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 408 || status === 429) return 'retry-later';
  if (status >= 400 && status < 500) return 'rejected';
  return 'retry-later';
}

/**
 * What an HTTP answer of a department's system means for a business connector call:
 * - 2xx: accepted, with the `reference` of a JSON body `{ "reference": "…" }` if there is one;
 * - 408, 429 and 5xx: retry later, honouring a `Retry-After` given in seconds;
 * - any other 4xx: rejected for good.
 * The reason of a refusal or a failure is the body's `error` when it is JSON with one, else the
 * status and the start of the text, naming `system`.
 */
export async function connectorResultOf(response: Response, system = 'the system'): Promise<BusinessConnectorResult> {
  const outcome = classifyStatus(response.status);
  const text = await response.text().catch(() => '');
  let body: { reference?: unknown; error?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the status and the text are all there is
  }
  if (outcome === 'accepted') {
    return typeof body?.reference === 'string' ? { outcome, reference: body.reference } : { outcome };
  }
  const excerpt = text.trim().slice(0, 200);
  const reason =
    typeof body?.error === 'string' && body.error !== ''
      ? body.error.slice(0, 500)
      : `${system} answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`;
  if (outcome === 'rejected') return { outcome, reason };
  const retryAfter = Number(response.headers.get('retry-after'));
  return Number.isFinite(retryAfter) && retryAfter > 0
    ? { outcome, reason, afterSeconds: retryAfter }
    : { outcome, reason };
}

/** An error a plugin may throw on purpose to reject a case for good. */
export class RejectedError extends Error {
  override readonly name = 'RejectedError';
  /** Recognised by name, so that a plugin with its own copy of the SDK is understood by the hall's. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'RejectedError';
  }
}

/**
 * What a thrown error means: a `RejectedError` rejects; a timeout, a network error, an abort or
 * anything unknown retries later (the host cannot tell that another try would fail too).
 */
export function classifyError(err: unknown): Classified {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RejectedError) return { outcome: 'rejected', reason: message };
  if (err instanceof PluginHttpError) return { outcome: 'retry-later', reason: `${err.kind}: ${message}` };
  return { outcome: 'retry-later', reason: message };
}
