import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../../../domain/shared/errors.js';

/** Who may scrape /metrics: the bearer of the configured token, or anyone when the endpoint is open. */
export interface MetricsAccessSettings {
  token: string | undefined;
  /** No token, under the embedded demo: anyone may scrape. */
  open: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The metrics endpoint's own credential (the counters tell how sign-ins fail and how busy the
 * hall is): a bearer token compared in constant time, whatever its length.
 */
export class MetricsAccess {
  constructor(private readonly settings: MetricsAccessSettings) {}

  /** Why `authorization` may not scrape (a 401), or null when it may. */
  refusal(authorization: string | undefined): UnauthenticatedError | null {
    const { token, open } = this.settings;
    if (!token) {
      if (open) return null;
      return new UnauthenticatedError(
        'METRICS.NOT_CONFIGURED',
        'metrics are served only to the bearer of METRICS_TOKEN, and none is configured',
      );
    }
    const given = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    return timingSafeEqual(digest(given), digest(token))
      ? null
      : new UnauthenticatedError(
          'METRICS.UNAUTHORIZED',
          'scraping metrics needs Authorization: Bearer <METRICS_TOKEN>',
        );
  }
}
