import assert from 'node:assert/strict';
import { classifyError } from '../classify.js';
import type {
  BusinessConnectorRequest,
  BusinessConnectorResult,
  CloudEvent,
  DirectoryPerson,
} from '../extension-points.js';
import { startPlugin, type StartedPlugin } from '../load.js';
import type { Plugin } from '../plugin.js';
import { fakeHost, type FakeHost } from './fakes.js';
import { startPeer, type PeerRequest, type PeerResponse, type TestPeer } from './peer.js';

/** One check of a conformance suite; `run` rejects (with an assertion error) when the plugin fails it. */
export interface ConformanceCheck {
  name: string;
  run(): Promise<void>;
}

interface CommonOptions {
  plugin: Plugin;
  /** The plugin's configuration pointed at the suite's peer (a real local HTTP server). */
  config: (peerUrl: string) => unknown;
  secrets?: Record<string, string>;
  /** The host's deadline for one call in the timeout checks (default 300 ms). */
  timeoutMs?: number;
  /** How long after the deadline the plugin may take to settle (default 1 000 ms). */
  graceMs?: number;
  /**
   * The timeout your `config(peerUrl)` sets, if it sets one: then a call the system never answers
   * must also end within it (plus `graceMs`) when the host's signal does not abort.
   */
  ownTimeoutMs?: number;
}

type MochaLike = {
  describe: (name: string, body: (this: { timeout(ms: number): void }) => void) => void;
  it: (name: string, body: () => Promise<void>) => void;
};

/** Registers checks as a mocha `describe` block (the globals mocha sets). */
export function describeChecks(title: string, checks: ConformanceCheck[], timeoutMs = 10_000): void {
  const g = globalThis as unknown as Partial<MochaLike>;
  if (typeof g.describe !== 'function' || typeof g.it !== 'function') {
    throw new Error('describeChecks needs mocha (or a runner with describe/it globals); else run the checks yourself');
  }
  const it = g.it;
  g.describe(title, function () {
    this.timeout(timeoutMs);
    for (const check of checks) it(check.name, () => check.run());
  });
}

async function withPeer<T>(
  options: CommonOptions,
  body: (peer: TestPeer, started: StartedPlugin, host: FakeHost) => Promise<T>,
): Promise<T> {
  const peer = await startPeer();
  try {
    const host = fakeHost();
    const started = await startPlugin(
      options.plugin,
      { config: options.config(peer.url), secrets: options.secrets ?? {} },
      host,
    );
    return await body(peer, started, host);
  } finally {
    await peer.close();
  }
}

/**
 * Calls `work` with a signal that aborts after `timeoutMs` (or never, when `abort` is false: the
 * plugin's own timeout must end it); fails if it has not settled `graceMs` later.
 */
async function settlesAfterAbort<T>(
  what: string,
  timeoutMs: number,
  graceMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  abort = true,
): Promise<{ value: T } | { error: unknown }> {
  const controller = new AbortController();
  const abortTimer = abort ? setTimeout(() => controller.abort(new Error('deadline')), timeoutMs) : undefined;
  let hangTimer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    hangTimer = setTimeout(() => resolve('hang'), timeoutMs + graceMs);
  });
  try {
    const outcome = await Promise.race([
      work(controller.signal).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      hang,
    ]);
    assert.notEqual(
      outcome,
      'hang',
      abort
        ? `${what}: still running ${graceMs} ms after its signal aborted at ${timeoutMs} ms (it must settle soon after ctx.signal aborts)`
        : `${what}: still running ${graceMs} ms after its own timeout of ${timeoutMs} ms`,
    );
    return outcome as { value: T } | { error: unknown };
  } finally {
    clearTimeout(abortTimer);
    clearTimeout(hangTimer);
  }
}

function noSecretLogged(host: FakeHost, secrets: Record<string, string> | undefined): void {
  const text = JSON.stringify(host.logger.lines);
  for (const [key, value] of Object.entries(secrets ?? {})) {
    if (value.length >= 4) assert.ok(!text.includes(value), `the secret ${key} appears in the plugin's log`);
  }
}

// ---- business connector -------------------------------------------------------------------------

export interface BusinessConnectorConformanceOptions extends CommonOptions {
  /** The case the suite hands the connector (the defaults are a plausible dormitory case). */
  request?: Partial<BusinessConnectorRequest>;
  peer?: {
    /** How the department's system answers a case it takes (default 200 `{ "reference": "REF-1" }`). */
    accept?: (request: PeerRequest) => PeerResponse;
    /** How it answers a second delivery of a key it has taken (default: like the first). */
    duplicate?: (request: PeerRequest) => PeerResponse;
    /** How it refuses a case for good (default 422 `{ "error": "not eligible" }`). */
    reject?: PeerResponse;
    /** How it answers when down (default 503). */
    unavailable?: PeerResponse;
    /** Where the idempotency key travels (default: the `Idempotency-Key` header). */
    idempotencyKey?: (request: PeerRequest) => string | undefined;
  };
}

const defaultKey = (request: PeerRequest) => {
  const value = request.headers['idempotency-key'];
  return Array.isArray(value) ? value[0] : value;
};

export function sampleConnectorRequest(over: Partial<BusinessConnectorRequest> = {}): BusinessConnectorRequest {
  return {
    caseNumber: 'SH-2026-000123',
    applicationId: '6f1c2d9e-0000-4000-8000-000000000123',
    node: 'dormitory-allocation',
    fields: { building: 'B7', room: '302', moveInDate: '2026-09-01' },
    applicant: { id: '2026010001', type: 'student', unit: 'CS' },
    idempotencyKey: 'conformance-key-1',
    ...over,
  };
}

/** The checks every business connector should pass; see `businessConnectorConformance`. */
export function businessConnectorChecks(options: BusinessConnectorConformanceOptions): ConformanceCheck[] {
  const timeoutMs = options.timeoutMs ?? 300;
  const graceMs = options.graceMs ?? 1_000;
  const accept = options.peer?.accept ?? (() => ({ status: 200, body: { reference: 'REF-1' } }));
  const duplicate = options.peer?.duplicate ?? accept;
  const reject = options.peer?.reject ?? { status: 422, body: { error: 'not eligible' } };
  const unavailable = options.peer?.unavailable ?? { status: 503, body: { error: 'maintenance' } };
  const keyOf = options.peer?.idempotencyKey ?? defaultKey;
  const request = (over: Partial<BusinessConnectorRequest> = {}) =>
    sampleConnectorRequest({ ...options.request, ...over });
  const connector = (started: StartedPlugin) => {
    const c = started.provided.businessConnector;
    assert.ok(c, `plugin ${options.plugin.id} provides no business connector`);
    return { raw: c, host: started.loaded.businessConnector! };
  };
  const outcomeOf = (settled: { value: BusinessConnectorResult } | { error: unknown }) =>
    'value' in settled ? settled.value : classifyError(settled.error);

  return [
    {
      name: 'accepts a case the system takes',
      run: () =>
        withPeer(options, async (peer, started, host) => {
          peer.behave(accept);
          const result = await connector(started).host.call(request());
          assert.equal(result.outcome, 'accepted', JSON.stringify(result));
          assert.equal(peer.requests.length, 1, 'the system should be called once');
          noSecretLogged(host, options.secrets);
        }),
    },
    {
      name: 'a call the system never answers is cut off when ctx.signal aborts, as retry-later',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave('hang');
          const settled = await settlesAfterAbort('call', timeoutMs, graceMs, (signal) =>
            connector(started).raw.call(request(), { signal }),
          );
          const result = outcomeOf(settled);
          assert.equal(result.outcome, 'retry-later', JSON.stringify(result));
        }),
    },
    ...(options.ownTimeoutMs === undefined
      ? []
      : [
          {
            name: `a call the system never answers is cut off by the plugin's own timeout (${options.ownTimeoutMs} ms), as retry-later`,
            run: () =>
              withPeer(options, async (peer, started) => {
                peer.behave('hang');
                const settled = await settlesAfterAbort(
                  'call',
                  options.ownTimeoutMs!,
                  graceMs,
                  (signal) => connector(started).raw.call(request(), { signal }),
                  false,
                );
                const result = outcomeOf(settled);
                assert.equal(result.outcome, 'retry-later', JSON.stringify(result));
              }),
          },
        ]),
    {
      name: 'the same idempotency key delivered twice reaches the system with the key and is accepted once',
      run: () =>
        withPeer(options, async (peer, started) => {
          const taken = new Map<string, number>();
          peer.behave((r) => {
            const key = keyOf(r);
            if (key === undefined) return { status: 400, body: { error: 'no idempotency key' } };
            taken.set(key, (taken.get(key) ?? 0) + 1);
            return taken.get(key) === 1 ? accept(r) : duplicate(r);
          });
          const { host } = connector(started);
          const first = await host.call(request());
          const again = await host.call(request());
          const other = await host.call(request({ idempotencyKey: 'conformance-key-2', caseNumber: 'SH-2026-000124' }));
          assert.equal(first.outcome, 'accepted', `first delivery: ${JSON.stringify(first)}`);
          assert.equal(again.outcome, 'accepted', `redelivery must be harmless: ${JSON.stringify(again)}`);
          assert.equal(other.outcome, 'accepted', `another case: ${JSON.stringify(other)}`);
          const keys = peer.requests.map(keyOf);
          assert.ok(keys[0], 'the system did not see an idempotency key');
          assert.equal(keys[1], keys[0], 'a redelivery must carry the same idempotency key');
          assert.notEqual(keys[2], keys[0], 'another case must carry another idempotency key');
          assert.equal([...taken.values()].filter((n) => n >= 1).length, 2, 'two distinct cases taken');
        }),
    },
    {
      name: 'a refusal by the system (4xx) is rejected, with a reason',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave(reject);
          const result = await connector(started).host.call(request());
          assert.equal(result.outcome, 'rejected', JSON.stringify(result));
          assert.ok(result.outcome === 'rejected' && result.reason.trim() !== '', 'a rejection needs a reason');
        }),
    },
    {
      name: 'a system that is down (5xx) means retry-later',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave(unavailable);
          const result = await connector(started).host.call(request());
          assert.equal(result.outcome, 'retry-later', JSON.stringify(result));
        }),
    },
    {
      name: 'a dropped connection means retry-later',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave('drop');
          const result = await connector(started).host.call(request());
          assert.equal(result.outcome, 'retry-later', JSON.stringify(result));
        }),
    },
  ];
}

/**
 * The business connector conformance suite as a mocha `describe` block. Call it at the top level
 * of a test file:
 *
 * ```ts
 * businessConnectorConformance({ plugin, config: (url) => ({ url, timeoutMs: 1000 }), secrets: { token: 't' } });
 * ```
 */
export function businessConnectorConformance(options: BusinessConnectorConformanceOptions): void {
  describeChecks(`business connector conformance: ${options.plugin.id}`, businessConnectorChecks(options));
}

// ---- data-platform sink -------------------------------------------------------------------------

export interface DataPlatformSinkConformanceOptions extends CommonOptions {
  peer?: {
    /** How the platform answers a batch it takes (default 200 `{}`). */
    accept?: (request: PeerRequest) => PeerResponse;
    /** How it answers when down (default 503). */
    unavailable?: PeerResponse;
  };
}

export function sampleEvents(count = 3, prefix = 'evt'): CloudEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    specversion: '1.0' as const,
    id: `${prefix}-${i + 1}`,
    source: '/service-hall/conformance',
    type: 'cn.edu.service-hall.application.submitted',
    subject: `application-${i + 1}`,
    time: new Date(Date.UTC(2026, 8, 1, 8, 0, i)).toISOString(),
    datacontenttype: 'application/json' as const,
    data: { applicationId: `application-${i + 1}`, serviceItem: 'dormitory' },
  }));
}

export function dataPlatformSinkChecks(options: DataPlatformSinkConformanceOptions): ConformanceCheck[] {
  const timeoutMs = options.timeoutMs ?? 300;
  const graceMs = options.graceMs ?? 1_000;
  const accept = options.peer?.accept ?? (() => ({ status: 200, body: {} }));
  const unavailable = options.peer?.unavailable ?? { status: 503, body: { error: 'maintenance' } };
  const sink = (started: StartedPlugin) => {
    const s = started.provided.dataPlatformSink;
    assert.ok(s, `plugin ${options.plugin.id} provides no data-platform sink`);
    return s;
  };
  const ids = (events: CloudEvent[]) => events.map((e) => e.id).sort();

  return [
    {
      name: 'acknowledges every event of a batch the platform takes, and only those',
      run: () =>
        withPeer(options, async (peer, started, host) => {
          peer.behave(accept);
          const batch = sampleEvents(3);
          const result = await sink(started).deliver(batch, { signal: new AbortController().signal });
          assert.deepEqual([...new Set(result.acknowledged)].sort(), ids(batch));
          assert.ok(peer.requests.length >= 1, 'the platform was never called');
          noSecretLogged(host, options.secrets);
        }),
    },
    {
      name: 'a redelivered batch is harmless: acknowledged again',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave(accept);
          const batch = sampleEvents(3);
          const s = sink(started);
          await s.deliver(batch, { signal: new AbortController().signal });
          const again = await s.deliver(batch, { signal: new AbortController().signal });
          assert.deepEqual([...new Set(again.acknowledged)].sort(), ids(batch));
        }),
    },
    {
      name: 'a platform that is down (5xx) acknowledges nothing',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave(unavailable);
          const settled = await settlesAfterAbort('deliver', 5_000, graceMs, (signal) =>
            sink(started).deliver(sampleEvents(2), { signal }),
          );
          if ('value' in settled) assert.deepEqual(settled.value.acknowledged, []);
        }),
    },
    {
      name: 'a delivery the platform never answers is cut off when ctx.signal aborts, acknowledging nothing',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave('hang');
          const settled = await settlesAfterAbort('deliver', timeoutMs, graceMs, (signal) =>
            sink(started).deliver(sampleEvents(2), { signal }),
          );
          if ('value' in settled) assert.deepEqual(settled.value.acknowledged, []);
        }),
    },
  ];
}

export function dataPlatformSinkConformance(options: DataPlatformSinkConformanceOptions): void {
  describeChecks(`data-platform sink conformance: ${options.plugin.id}`, dataPlatformSinkChecks(options));
}

// ---- directory source ---------------------------------------------------------------------------

export interface DirectorySourceConformanceOptions extends CommonOptions {
  peer: {
    /** How the directory answers when asked for everyone. */
    people: (request: PeerRequest) => PeerResponse;
  };
  /** The people the plugin should return for that answer. */
  expected: DirectoryPerson[];
}

export function directorySourceChecks(options: DirectorySourceConformanceOptions): ConformanceCheck[] {
  const timeoutMs = options.timeoutMs ?? 300;
  const graceMs = options.graceMs ?? 1_000;
  return [
    {
      name: 'returns every person of the directory, each in the SDK shape',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave(options.peer.people);
          const people = await started.loaded.directorySource!.people();
          const byId = (a: DirectoryPerson, b: DirectoryPerson) => a.id.localeCompare(b.id);
          assert.deepEqual([...people].sort(byId), [...options.expected].sort(byId));
        }),
    },
    {
      name: 'a directory that never answers is cut off when ctx.signal aborts',
      run: () =>
        withPeer(options, async (peer, started) => {
          peer.behave('hang');
          const source = started.provided.directorySource;
          assert.ok(source, `plugin ${options.plugin.id} provides no directory source`);
          await settlesAfterAbort('people', timeoutMs, graceMs, async (signal) => {
            const out = source.people({ signal });
            if (Symbol.asyncIterator in out) {
              const all: DirectoryPerson[] = [];
              for await (const p of out) all.push(p);
              return all;
            }
            return await out;
          });
        }),
    },
  ];
}

export function directorySourceConformance(options: DirectorySourceConformanceOptions): void {
  describeChecks(`directory source conformance: ${options.plugin.id}`, directorySourceChecks(options));
}
