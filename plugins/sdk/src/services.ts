/**
 * What a plugin is given. Nothing here reaches the hall's database, domain or use cases: a plugin
 * talks to its own department's system and to these services, and to nothing else of the hall.
 */

/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/** A logger; the one a plugin is given already carries `{ plugin: <id> }` on every line. */
export interface PluginLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): PluginLogger;
}

/** Time, so that tests can move it. */
export interface PluginClock {
  now(): Date;
  /** Resolves after `ms` (on this clock); rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthReport {
  status: HealthStatus;
  detail?: string;
  at: Date;
}

/** How a plugin tells the hall whether its department's system is reachable. */
export interface PluginHealth {
  report(status: HealthStatus, detail?: string): void;
}

export interface PluginFetchInit extends RequestInit {
  /** Overrides the host's default timeout for this request. */
  timeoutMs?: number;
}

/**
 * An HTTP client: `fetch` with a timeout on every request (the host's default unless the call
 * names its own) combined with the caller's `signal`. It never hangs: a request that outlives its
 * timeout rejects with a `PluginHttpError` of kind `timeout`; one that cannot reach the server
 * rejects with kind `network`; one whose `signal` aborts rejects with kind `aborted`. A response,
 * whatever its status, resolves: classify it with `classifyStatus`.
 */
export interface PluginHttp {
  fetch(url: string | URL, init?: PluginFetchInit): Promise<Response>;
  readonly defaultTimeoutMs: number;
}

export type PluginHttpErrorKind = 'timeout' | 'network' | 'aborted';

export class PluginHttpError extends Error {
  override readonly name = 'PluginHttpError';
  /**
   * Recognised by name and kind, so that `instanceof` holds across copies of the SDK (the host's
   * `http` throws the hall's copy; a plugin may have its own).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      value instanceof Error &&
      value.name === 'PluginHttpError' &&
      typeof (value as { kind?: unknown }).kind === 'string'
    );
  }
  constructor(
    readonly kind: PluginHttpErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Builds the `http` service over a `fetch` (the host's, or a test's). */
export function createPluginHttp(options: { fetch?: typeof fetch; defaultTimeoutMs: number }): PluginHttp {
  const doFetch = options.fetch ?? globalThis.fetch;
  const defaultTimeoutMs = options.defaultTimeoutMs;
  return {
    defaultTimeoutMs,
    async fetch(url, init = {}) {
      const { timeoutMs = defaultTimeoutMs, signal: callerSignal, ...rest } = init;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      try {
        return await doFetch(url, { ...rest, signal });
      } catch (err) {
        const where = `${rest.method ?? 'GET'} ${String(url)}`;
        if (callerSignal?.aborted) throw new PluginHttpError('aborted', `${where}: aborted`, { cause: err });
        if (timeout.aborted) {
          throw new PluginHttpError('timeout', `${where}: no response within ${timeoutMs} ms`, { cause: err });
        }
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (err as Error).message;
        throw new PluginHttpError('network', `${where}: ${why}`, { cause: err });
      }
    },
  };
}

/** The services a plugin is given, `config` typed by its schema and `secrets` by the keys it declared. */
export interface PluginServices<Config, SecretKey extends string, OptionalSecretKey extends string = never> {
  /** The id it runs under: the key of its configuration section (its own id unless started more than once). */
  readonly pluginId: string;
  readonly logger: PluginLogger;
  readonly config: Config;
  readonly secrets: Readonly<Record<SecretKey, string> & Partial<Record<OptionalSecretKey, string>>>;
  readonly clock: PluginClock;
  readonly http: PluginHttp;
  readonly health: PluginHealth;
}

/** The system clock. */
export const systemClock: PluginClock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
