import { z } from 'zod';
import { classifyError } from './classify.js';
import {
  businessConnectorExtension,
  dataPlatformSinkExtension,
  directorySourceExtension,
  type BusinessConnector,
  type BusinessConnectorRequest,
  type BusinessConnectorResult,
  type CloudEvent,
  type DataPlatformSink,
  type DirectoryPerson,
  type DirectorySource,
  type ExtensionPoint,
} from './extension-points.js';
import { PLUGIN_ID, type Plugin } from './plugin.js';
import {
  createPluginHttp,
  systemClock,
  type HealthReport,
  type HealthStatus,
  type LogFields,
  type PluginClock,
  type PluginLogger,
} from './services.js';
import { SDK_VERSION, isValidRange, satisfies } from './version.js';

/** A plugin the host cannot start. The message is one line and begins `plugin <id>: `. */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError';
  constructor(
    readonly pluginId: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`plugin ${pluginId}: ${oneLine(problem)}`, options);
  }
}

/** The plugin's configuration or secrets are wrong: `plugin example-dormitory: config.url: Invalid URL`. */
export class PluginConfigError extends PluginLoadError {
  override name = 'PluginConfigError';
  constructor(
    pluginId: string,
    readonly problems: ReadonlyArray<{ key: string; problem: string }>,
  ) {
    super(pluginId, problems.map((p) => `${p.key}: ${oneLine(p.problem)}`).join('; '));
  }
}

/** The plugin was built for SDK versions this hall does not have. */
export class PluginVersionError extends PluginLoadError {
  override name = 'PluginVersionError';
  constructor(
    pluginId: string,
    readonly wanted: string,
    readonly have: string,
  ) {
    super(pluginId, `built for plugin SDK ${wanted}, but this hall has plugin SDK ${have}`);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What the host hands `loadPlugin`; the SDK builds each plugin's own services from it. */
export interface HostServices {
  /** The host's logger; each plugin gets `logger.child({ plugin: id })`. */
  logger: PluginLogger;
  clock?: PluginClock;
  /** The `fetch` under the plugin's `http` (default: the global one). */
  fetch?: typeof fetch;
  /** The default timeout of the plugin's `http` (default 10 000 ms). */
  httpTimeoutMs?: number;
  /** The default deadline of one call to a plugin's extension point (default 30 000 ms). */
  callTimeoutMs?: number;
  /** Told of every health report. */
  onHealth?: (pluginId: string, report: HealthReport) => void;
}

/** What the plugin's section of the hall's configuration holds, as read (not yet validated). */
export interface RawPluginSettings {
  /**
   * The id this instance runs under when the hall starts the plugin more than once (the key of its
   * configuration section); default: the plugin's own id. It names the instance in logs, health and
   * errors, and is the plugin's `env.pluginId`.
   */
  instance?: string;
  config?: unknown;
  /** Every secret the host has for this plugin; the plugin sees only those it declared. */
  secrets?: Record<string, string | undefined>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** The call's deadline (default: the host's `callTimeoutMs`). */
  timeoutMs?: number;
}

/** A business connector as the host calls it: never throws, never outlives its deadline. */
export interface HostBusinessConnector {
  call(request: BusinessConnectorRequest, options?: CallOptions): Promise<BusinessConnectorResult>;
}

/** A sink as the host calls it: never throws; acknowledges only ids of the batch. */
export interface HostDataPlatformSink {
  deliver(batch: readonly CloudEvent[], options?: CallOptions): Promise<{ acknowledged: string[]; error?: string }>;
}

/** A directory as the host reads it: every person validated; throws a `PluginLoadError` on failure. */
export interface HostDirectorySource {
  people(options?: CallOptions): Promise<DirectoryPerson[]>;
}

export interface LoadedPlugin {
  /** The id it runs under: its instance's, else its own. */
  readonly id: string;
  /** The plugin's own id (its definition's). */
  readonly plugin: string;
  readonly sdkVersion: string;
  /** The last health report, or `unknown` before the first. */
  health(): HealthReport | { status: 'unknown' };
  readonly businessConnector?: HostBusinessConnector;
  readonly dataPlatformSink?: HostDataPlatformSink;
  readonly directorySource?: HostDirectorySource;
}

const POINTS: ReadonlyArray<ExtensionPoint<unknown>> = [
  businessConnectorExtension,
  dataPlatformSinkExtension,
  directorySourceExtension,
];

const resultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('accepted'), reference: z.string().optional() }),
  z.object({ outcome: z.literal('rejected'), reason: z.string() }),
  z.object({
    outcome: z.literal('retry-later'),
    reason: z.string(),
    afterSeconds: z.number().nonnegative().optional(),
  }),
]);

const sinkResultSchema = z.object({ acknowledged: z.array(z.string()) });

export const directoryPersonSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.enum(['staff', 'student']),
  unit: z.string().min(1),
  status: z.enum(['active', 'left', 'retired', 'suspended']),
  email: z.email().nullable(),
});

function issueKey(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  return [prefix, ...path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))].join('.').replace(/\.\[/g, '[');
}

/**
 * Starts a plugin as the host does: checks its SDK range, validates its configuration and
 * secrets, builds its services and calls `register`. Throws a `PluginLoadError` (one line, naming
 * the plugin) when it cannot start. The extension points come back guarded by a deadline.
 */
export async function loadPlugin(plugin: Plugin, raw: RawPluginSettings, host: HostServices): Promise<LoadedPlugin> {
  return (await startPlugin(plugin, raw, host)).loaded;
}

/** What a started plugin provided, unguarded: for the test kit, which checks the plugin itself. */
export interface StartedPlugin {
  loaded: LoadedPlugin;
  provided: {
    businessConnector?: BusinessConnector;
    dataPlatformSink?: DataPlatformSink;
    directorySource?: DirectorySource;
  };
}

/** `loadPlugin`, also returning the unguarded implementations (not exported from the package root). */
export async function startPlugin(plugin: Plugin, raw: RawPluginSettings, host: HostServices): Promise<StartedPlugin> {
  const id = raw.instance ?? plugin?.id;
  if (plugin?.kind !== 'service-hall-plugin') {
    throw new PluginLoadError(String(id ?? '(no id)'), 'not a plugin made with definePlugin');
  }
  if (!PLUGIN_ID.test(plugin.id)) throw new PluginLoadError(String(plugin.id), 'invalid plugin id');
  if (!PLUGIN_ID.test(id)) throw new PluginLoadError(String(id), `invalid instance id (plugin ${plugin.id})`);
  if (!isValidRange(plugin.sdkVersion)) {
    throw new PluginLoadError(id, `sdkVersion ${JSON.stringify(plugin.sdkVersion)} is not a version range`);
  }
  if (!satisfies(SDK_VERSION, plugin.sdkVersion)) throw new PluginVersionError(id, plugin.sdkVersion, SDK_VERSION);

  const problems: Array<{ key: string; problem: string }> = [];
  const parsed = plugin.config.safeParse(raw.config ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push({ key: issueKey('config', issue.path), problem: issue.message });
  }
  const secrets: Record<string, string> = {};
  for (const key of plugin.secrets ?? []) {
    const value = raw.secrets?.[key];
    if (value === undefined || value === '') problems.push({ key: `secrets.${key}`, problem: 'missing' });
    else secrets[key] = value;
  }
  for (const key of plugin.optionalSecrets ?? []) {
    const value = raw.secrets?.[key];
    if (value !== undefined && value !== '') secrets[key] = value;
  }
  if (problems.length > 0) throw new PluginConfigError(id, problems);

  const logger = redacting(host.logger.child({ plugin: id }), Object.values(secrets));
  const clock = host.clock ?? systemClock;
  let lastHealth: HealthReport | undefined;
  const health = {
    report(status: HealthStatus, detail?: string) {
      const report: HealthReport = { status, at: clock.now(), ...(detail === undefined ? {} : { detail }) };
      if (lastHealth?.status !== status) {
        const log = status === 'ok' ? logger.info : logger.warn;
        log.call(logger, `health: ${status}`, detail === undefined ? {} : { detail });
      }
      lastHealth = report;
      host.onHealth?.(id, report);
    },
  };

  const provided = new Map<string, unknown>();
  let registering = true;
  const env = {
    pluginId: id,
    logger,
    config: parsed.data,
    secrets: Object.freeze(secrets),
    clock,
    http: createPluginHttp({ fetch: host.fetch, defaultTimeoutMs: host.httpTimeoutMs ?? 10_000 }),
    health,
    provide<T>(point: ExtensionPoint<T>, implementation: T) {
      // by id, not by reference: a plugin may have its own copy of the SDK
      if (!POINTS.some((p) => p.id === point?.id))
        throw new PluginLoadError(id, `unknown extension point ${point?.id}`);
      if (!registering) throw new PluginLoadError(id, `provides ${point.id} after register has returned`);
      if (provided.has(point.id)) throw new PluginLoadError(id, `provides ${point.id} twice`);
      provided.set(point.id, implementation);
    },
  };
  try {
    await plugin.register(env);
  } catch (err) {
    if (err instanceof PluginLoadError) throw err;
    const message = hideSecrets(err instanceof Error ? err.message : String(err), Object.values(secrets));
    throw new PluginLoadError(id, `register failed: ${message}`, { cause: err });
  } finally {
    registering = false;
  }
  if (provided.size === 0) throw new PluginLoadError(id, 'provides no extension point');

  const callTimeoutMs = host.callTimeoutMs ?? 30_000;
  const connector = provided.get(businessConnectorExtension.id) as BusinessConnector | undefined;
  const sink = provided.get(dataPlatformSinkExtension.id) as DataPlatformSink | undefined;
  const directory = provided.get(directorySourceExtension.id) as DirectorySource | undefined;

  const loaded: LoadedPlugin = {
    id,
    plugin: plugin.id,
    sdkVersion: plugin.sdkVersion,
    health: () => lastHealth ?? { status: 'unknown' },
    ...(connector && { businessConnector: guardConnector(connector, logger, callTimeoutMs) }),
    ...(sink && { dataPlatformSink: guardSink(sink, logger, callTimeoutMs) }),
    ...(directory && { directorySource: guardDirectory(id, directory, callTimeoutMs) }),
  };
  return {
    loaded,
    provided: {
      ...(connector && { businessConnector: connector }),
      ...(sink && { dataPlatformSink: sink }),
      ...(directory && { directorySource: directory }),
    },
  };
}

function hideSecrets(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, secret) => t.split(secret).join('[secret]'), text);
}

/** A logger that writes `[secret]` wherever a line would show one of the plugin's secrets. */
function redacting(inner: PluginLogger, secrets: string[]): PluginLogger {
  const values = secrets.filter((s) => s.length >= 4);
  if (values.length === 0) return inner;
  const scrub = (value: unknown, depth = 0): unknown => {
    if (typeof value === 'string') return hideSecrets(value, values);
    if (depth > 5 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
  };
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void =>
      inner[level](scrub(message) as string, fields === undefined ? undefined : (scrub(fields) as LogFields));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (bindings) => redacting(inner.child(scrub(bindings) as LogFields), values),
  };
}

const TIMED_OUT = Symbol('timed out');

/** Runs `work` with a signal that aborts at the deadline; settles at the deadline at the latest. */
async function withDeadline<T>(
  options: CallOptions | undefined,
  defaultTimeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T | typeof TIMED_OUT> {
  const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options?.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<typeof TIMED_OUT>((resolve) => {
    onAbort = () => resolve(TIMED_OUT);
    if (signal.aborted) resolve(TIMED_OUT);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(signal), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

function guardConnector(impl: BusinessConnector, logger: PluginLogger, defaultMs: number): HostBusinessConnector {
  return {
    async call(request, options) {
      const timeoutMs = options?.timeoutMs ?? defaultMs;
      try {
        const result = await withDeadline(options, defaultMs, (signal) => impl.call(request, { signal }));
        if (result === TIMED_OUT) return { outcome: 'retry-later', reason: `no answer within ${timeoutMs} ms` };
        const checked = resultSchema.safeParse(result);
        if (checked.success) return checked.data;
        logger.error('business connector returned a malformed result', { result });
        return { outcome: 'retry-later', reason: 'the plugin returned a malformed result' };
      } catch (err) {
        const classified = classifyError(err);
        logger.warn(`business connector threw: ${classified.outcome}`, { reason: classified.reason });
        return classified;
      }
    },
  };
}

function guardSink(impl: DataPlatformSink, logger: PluginLogger, defaultMs: number): HostDataPlatformSink {
  return {
    async deliver(batch, options) {
      const timeoutMs = options?.timeoutMs ?? defaultMs;
      try {
        const result = await withDeadline(options, defaultMs, (signal) => impl.deliver(batch, { signal }));
        if (result === TIMED_OUT) return { acknowledged: [], error: `no answer within ${timeoutMs} ms` };
        const checked = sinkResultSchema.safeParse(result);
        if (!checked.success) {
          logger.error('data-platform sink returned a malformed result', { result });
          return { acknowledged: [], error: 'the plugin returned a malformed result' };
        }
        const inBatch = new Set(batch.map((e) => e.id));
        const strangers = checked.data.acknowledged.filter((ackId) => !inBatch.has(ackId));
        if (strangers.length > 0) logger.warn('data-platform sink acknowledged ids not in the batch', { strangers });
        return { acknowledged: [...new Set(checked.data.acknowledged.filter((ackId) => inBatch.has(ackId)))] };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        logger.warn('data-platform sink threw: nothing acknowledged', { reason });
        return { acknowledged: [], error: reason };
      }
    },
  };
}

function guardDirectory(id: string, impl: DirectorySource, defaultMs: number): HostDirectorySource {
  return {
    async people(options) {
      const timeoutMs = options?.timeoutMs ?? defaultMs;
      let result: DirectoryPerson[] | typeof TIMED_OUT;
      try {
        result = await withDeadline(options, defaultMs, async (signal) => {
          const source = impl.people({ signal });
          if (!(Symbol.asyncIterator in source)) return await source;
          const all: DirectoryPerson[] = [];
          for await (const person of source) {
            if (signal.aborted) break;
            all.push(person);
          }
          return all;
        });
      } catch (err) {
        throw new PluginLoadError(id, `directory: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      if (result === TIMED_OUT) throw new PluginLoadError(id, `directory: no answer within ${timeoutMs} ms`);
      return result.map((person, i) => {
        const checked = directoryPersonSchema.safeParse(person);
        if (checked.success) return checked.data;
        const issue = checked.error.issues[0]!;
        throw new PluginLoadError(id, `${issueKey(`directory person [${i}]`, issue.path)}: ${issue.message}`);
      });
    },
  };
}
