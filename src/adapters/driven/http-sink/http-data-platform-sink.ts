import CircuitBreaker from 'opossum';
import type { CloudEvent, DataPlatformSink, SinkAnswer } from '../../../application/ports/data-platform-sink.port.js';
import type { PersonalDataHandling } from '../../../domain/application/personal-data.js';

export interface HttpSinkConfig {
  url: string;
  token?: string;
  timeoutMs: number;
  /** How the form fields marked personal reach this platform (default: left out). */
  personalData?: PersonalDataHandling;
}

/** A refusal of the batch itself: sent again one event at a time, never retried as it is. */
class Refused extends Error {}

/**
 * The public data platform over HTTP: each batch is one POST in CloudEvents batch mode
 * (`application/cloudevents-batch+json`, a JSON array of structured events), with the bearer
 * token when one is configured. 2xx: the whole batch is taken. 4xx other than 408 and 429: the
 * batch is refused (the relay looks for the event at fault). Anything else (5xx, 408, 429, a
 * timeout, no connection) is transient, and counts against an opossum breaker: once it opens,
 * batches fail at once, without a request, until it half-opens and one request tries again.
 */
export class HttpDataPlatformSink implements DataPlatformSink {
  readonly name: string;
  readonly personalData: PersonalDataHandling;
  private readonly breaker: CircuitBreaker<[CloudEvent[]], void>;

  constructor(
    private readonly config: HttpSinkConfig,
    options: { name?: string; resetTimeoutMs?: number; volumeThreshold?: number } = {},
  ) {
    this.name = options.name ?? 'data-platform';
    this.personalData = config.personalData ?? 'omit';
    this.breaker = new CircuitBreaker((events: CloudEvent[]) => this.post(events), {
      timeout: false,
      errorThresholdPercentage: 50,
      resetTimeout: options.resetTimeoutMs ?? 30_000,
      volumeThreshold: options.volumeThreshold ?? 3,
      // a refusal is an answer: the platform is up
      errorFilter: (e: unknown) => e instanceof Refused,
      name: this.name,
    });
  }

  async deliver(events: CloudEvent[]): Promise<SinkAnswer> {
    try {
      await this.breaker.fire(events);
      return { kind: 'accepted' };
    } catch (e) {
      if (e instanceof Refused) return { kind: 'rejected', reason: e.message };
      return { kind: 'transient', reason: e instanceof Error ? e.message : String(e) };
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private async post(events: CloudEvent[]): Promise<void> {
    const res = await fetch(this.config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents-batch+json; charset=utf-8',
        ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {}),
      },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    const text = await res.text().catch(() => '');
    if (res.ok) return;
    const why = `${this.name} answered ${res.status}: ${text.slice(0, 200)}`;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new Refused(why);
    throw new Error(why);
  }
}
