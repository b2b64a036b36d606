import { expect } from 'chai';
import {
  businessConnectorExtension,
  classifyStatus,
  dataPlatformSinkExtension,
  definePlugin,
  directorySourceExtension,
  z,
  type BusinessConnector,
  type DirectoryPerson,
} from '../src/index.js';
import {
  businessConnectorChecks,
  dataPlatformSinkConformance,
  directorySourceConformance,
  type ConformanceCheck,
} from '../src/testing/index.js';

// A small data-platform sink, as the guide shows: POSTs the batch, acknowledges all on 2xx.
const lakeSink = definePlugin({
  id: 'sample-lake',
  sdkVersion: '^1.0.0',
  config: z.object({ url: z.url() }),
  secrets: ['apiKey'],
  register(env) {
    env.provide(dataPlatformSinkExtension, {
      async deliver(batch, ctx) {
        const response = await env.http.fetch(`${env.config.url}/events`, {
          method: 'POST',
          signal: ctx.signal,
          headers: { 'content-type': 'application/cloudevents-batch+json', 'x-api-key': env.secrets.apiKey },
          body: JSON.stringify(batch),
        });
        return { acknowledged: response.ok ? batch.map((e) => e.id) : [] };
      },
    });
  },
});

dataPlatformSinkConformance({ plugin: lakeSink, config: (url) => ({ url }), secrets: { apiKey: 'lake-key-123' } });

// A directory source over a JSON HR export.
const people: DirectoryPerson[] = [
  { id: 'T001', name: '王芳', type: 'staff', unit: 'CS', status: 'active', email: 'wangfang@example.edu' },
  { id: 'S2026001', name: '李雷', type: 'student', unit: 'EE', status: 'active', email: null },
];
const hrExport = definePlugin({
  id: 'sample-hr-export',
  sdkVersion: '^1.0.0',
  config: z.object({ url: z.url() }),
  register(env) {
    env.provide(directorySourceExtension, {
      async people(ctx) {
        const response = await env.http.fetch(`${env.config.url}/people.json`, { signal: ctx.signal });
        if (!response.ok) throw new Error(`HR export answered ${response.status}`);
        return (await response.json()) as DirectoryPerson[];
      },
    });
  },
});

directorySourceConformance({
  plugin: hrExport,
  config: (url) => ({ url }),
  peer: { people: () => ({ status: 200, body: people }) },
  expected: people,
});

// Connectors that each get one thing wrong: the suite must catch exactly that.
function connector(make: (env: { url: string }) => BusinessConnector) {
  return definePlugin({
    id: 'faulty',
    sdkVersion: '^1.0.0',
    config: z.object({ url: z.url() }),
    register(env) {
      env.provide(businessConnectorExtension, make(env.config));
    },
  });
}

const post = (url: string, key: string | undefined, signal?: AbortSignal) =>
  fetch(url, { method: 'POST', headers: key ? { 'idempotency-key': key } : {}, ...(signal && { signal }) });

async function failedChecks(checks: ConformanceCheck[]): Promise<string[]> {
  const failed: string[] = [];
  for (const check of checks) {
    try {
      await check.run();
    } catch {
      failed.push(check.name);
    }
  }
  return failed;
}

describe('the conformance suites catch what a plugin gets wrong', function () {
  this.timeout(20_000);
  const options = { config: (url: string) => ({ url }), timeoutMs: 150, graceMs: 400 };

  it('a connector that ignores ctx.signal fails the timeout check, and only it', async () => {
    const plugin = connector(({ url }) => ({
      async call(request) {
        const response = await post(url, request.idempotencyKey); // no signal, no timeout
        const outcome = classifyStatus(response.status);
        return outcome === 'accepted' ? { outcome } : { outcome, reason: `status ${response.status}` };
      },
    }));
    expect(await failedChecks(businessConnectorChecks({ plugin, ...options }))).to.deep.equal([
      'a call the system never answers is cut off when ctx.signal aborts, as retry-later',
    ]);
  });

  it('a connector with no timeout of its own fails the own-timeout check when the suite is told of one', async () => {
    const plugin = connector(({ url }) => ({
      async call(request, ctx) {
        const response = await post(url, request.idempotencyKey, ctx.signal); // the host's signal, nothing else
        const outcome = classifyStatus(response.status);
        return outcome === 'accepted' ? { outcome } : { outcome, reason: `status ${response.status}` };
      },
    }));
    expect(await failedChecks(businessConnectorChecks({ plugin, ...options, ownTimeoutMs: 150 }))).to.deep.equal([
      "a call the system never answers is cut off by the plugin's own timeout (150 ms), as retry-later",
    ]);
  });

  it('a connector that does not send the idempotency key fails the redelivery check', async () => {
    const plugin = connector(({ url }) => ({
      async call(_request, ctx) {
        const response = await post(url, undefined, ctx.signal);
        const outcome = classifyStatus(response.status);
        return outcome === 'accepted' ? { outcome } : { outcome, reason: `status ${response.status}` };
      },
    }));
    expect(await failedChecks(businessConnectorChecks({ plugin, ...options }))).to.include(
      'the same idempotency key delivered twice reaches the system with the key and is accepted once',
    );
  });

  it('a connector that throws on every non-2xx fails the 4xx check (a plain throw means retry-later)', async () => {
    const plugin = connector(({ url }) => ({
      async call(request, ctx) {
        const response = await post(url, request.idempotencyKey, ctx.signal);
        if (!response.ok) throw new Error(`status ${response.status}`);
        return { outcome: 'accepted' };
      },
    }));
    expect(await failedChecks(businessConnectorChecks({ plugin, ...options }))).to.deep.equal([
      'a refusal by the system (4xx) is rejected, with a reason',
    ]);
  });

  it('a connector that treats every failure as rejected fails the 5xx and dropped-connection checks', async () => {
    const plugin = connector(({ url }) => ({
      async call(request, ctx) {
        try {
          const response = await post(url, request.idempotencyKey, ctx.signal);
          return response.ok ? { outcome: 'accepted' } : { outcome: 'rejected', reason: `status ${response.status}` };
        } catch (err) {
          return { outcome: 'rejected', reason: String(err) };
        }
      },
    }));
    expect(await failedChecks(businessConnectorChecks({ plugin, ...options }))).to.deep.equal([
      'a call the system never answers is cut off when ctx.signal aborts, as retry-later',
      'a system that is down (5xx) means retry-later',
      'a dropped connection means retry-later',
    ]);
  });

  it('types: a plugin sees only the secrets it declared, its config as its schema says', () => {
    definePlugin({
      id: 'typed',
      sdkVersion: '^1.0.0',
      config: z.object({ url: z.url(), timeoutMs: z.number().default(1000) }),
      secrets: ['token'],
      register(env) {
        const token: string = env.secrets.token;
        const timeoutMs: number = env.config.timeoutMs;
        // @ts-expect-error a secret it did not declare
        void env.secrets.password;
        // @ts-expect-error a key its schema does not have
        void env.config.database;
        void token;
        void timeoutMs;
        env.provide(businessConnectorExtension, { call: async () => ({ outcome: 'accepted' }) });
      },
    });
  });
});
