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
