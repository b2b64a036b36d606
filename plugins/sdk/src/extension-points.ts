/**
 * The extension points: what a plugin can provide to the hall. These types are the contract with
 * departments; they are the SDK's own and change only with the SDK's major version.
 */

/** Given to every call: the host aborts `signal` when the call's time is up (or the hall stops). */
export interface CallContext {
  signal: AbortSignal;
}

// ---- business connector -------------------------------------------------------------------------

/** What a transfer node hands a department's business system. */
export interface BusinessConnectorRequest {
  /** The case number the applicant sees, once assigned. */
  caseNumber: string | null;
  applicationId: string;
  /** The transfer node that calls. */
  node: string;
  /** The form fields the node declares, by name. */
  fields: Record<string, unknown>;
  applicant: { id: string; type: 'staff' | 'student'; unit: string };
  /**
   * The same for every delivery of the same call (the host retries and may redeliver): the
   * department's system must accept a key once and treat a second delivery as the first.
   */
  idempotencyKey: string;
}

export type BusinessConnectorResult =
  /** The system took the case; `reference` is its own number for it, shown to staff. */
  | { outcome: 'accepted'; reference?: string }
  /** The system refuses the case for good (bad data, not eligible): the node fails with `reason`. */
  | { outcome: 'rejected'; reason: string }
  /** The system could not take it now (down, overloaded, timed out): the host calls again later. */
  | { outcome: 'retry-later'; reason: string; afterSeconds?: number };

export interface BusinessConnector {
  /**
   * Hands one case to the department's system. Must settle soon after `ctx.signal` aborts. A throw
   * is classified by the host with `classifyError` (a timeout or network error: retry-later).
   */
  call(request: BusinessConnectorRequest, ctx: CallContext): Promise<BusinessConnectorResult>;
}

// ---- data-platform sink -------------------------------------------------------------------------

/** An event as the data platform receives it: the CloudEvents 1.0 attributes, JSON data. */
export interface CloudEvent {
  specversion: '1.0';
  /** Unique per event; the same on every redelivery of it. */
  id: string;
  /** The hall instance, e.g. `/service-hall/example-university`. */
  source: string;
  /** e.g. `cn.edu.service-hall.application.submitted` */
  type: string;
  /** What the event is about, e.g. the application id. */
  subject?: string;
  /** RFC 3339. */
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

/**
 * What a sink acknowledges: the ids of the events it has durably handed on. Partial
 * acknowledgement is allowed: an event of the batch whose id is not listed is delivered again
 * later (alone or in another batch), so a sink must be idempotent by event id. Ids that were not
 * in the batch are ignored (and logged). A throw acknowledges nothing.
 */
export interface SinkResult {
  acknowledged: string[];
}

export interface DataPlatformSink {
  deliver(batch: readonly CloudEvent[], ctx: CallContext): Promise<SinkResult>;
}

// ---- directory source ---------------------------------------------------------------------------

/** A person as `hall people sync` takes them from the university's directory. */
export interface DirectoryPerson {
  /** Staff or student number. */
  id: string;
  name: string;
  type: 'staff' | 'student';
  /** The unit's code as the hall knows it. */
  unit: string;
  status: 'active' | 'left' | 'retired' | 'suspended';
  email: string | null;
}

export interface DirectorySource {
  /** Everyone the directory knows: an array, or an async iterable for large directories. */
  people(ctx: CallContext): Promise<DirectoryPerson[]> | AsyncIterable<DirectoryPerson>;
}

// ---- the points themselves ----------------------------------------------------------------------

/** A typed handle on an extension point: `env.provide(businessConnectorExtension, impl)`. */
export interface ExtensionPoint<T> {
  readonly id: string;
  /** Only for the type; never set. */
  readonly T?: T;
}

function createExtensionPoint<T>(id: string): ExtensionPoint<T> {
  return Object.freeze({ id });
}

export const businessConnectorExtension = createExtensionPoint<BusinessConnector>('business-connector');
export const dataPlatformSinkExtension = createExtensionPoint<DataPlatformSink>('data-platform-sink');
export const directorySourceExtension = createExtensionPoint<DirectorySource>('directory-source');
