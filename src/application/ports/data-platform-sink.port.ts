import type { PersonalDataHandling } from '../../domain/application/personal-data.js';

/** One outbox event as a CloudEvent (structured, spec 1.0), the way every sink receives it. */
export interface CloudEvent {
  specversion: '1.0';
  /** The outbox row's id: stable across re-sends, so a receiver de-duplicates on it. */
  id: string;
  /** `urn:service-hall:<host of PUBLIC_URL>` */
  source: string;
  /** `cn.edu.hall.<topic>`, e.g. `cn.edu.hall.service-item.launched` */
  type: string;
  /** `<aggregate type>/<aggregate id>`: the unit of ordering. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** The outbox seq: increases along each subject's events (an extension attribute). */
  sequence: string;
  data: Record<string, unknown>;
}

/**
 * What a sink answered for one batch. `accepted`: all of it. `transient`: nothing is known to be
 * taken (down, timeout, 5xx, 429, open breaker); the same batch is sent again later. `rejected`:
 * the sink refused the batch as such (4xx); the relay sends its events one by one to find the
 * event it refuses, which is parked with `reason`.
 */
export type SinkAnswer =
  { kind: 'accepted' } | { kind: 'transient'; reason: string } | { kind: 'rejected'; reason: string };

/** A consumer of the hall's events (the public data platform over HTTP, a broker, ...). */
export interface DataPlatformSink {
  /** Stable name: the key of the sink's cursor, and what the operator names in `hall outbox`. */
  readonly name: string;
  /**
   * How the form fields marked personal (`x-sensitive`) reach this sink, in the events that carry a
   * form (`application.completed`): masked (`6222********3445`) or left out. Default: left out.
   */
  readonly personalData?: PersonalDataHandling;
  deliver(events: CloudEvent[]): Promise<SinkAnswer>;
}
