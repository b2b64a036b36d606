import { expect } from 'chai';
import {
  businessConnectorExtension,
  dataPlatformSinkExtension,
  definePlugin,
  directorySourceExtension,
  loadPlugin,
  PluginConfigError,
  PluginHttpError,
  PluginLoadError,
  PluginVersionError,
  z,
  type BusinessConnector,
  type DirectoryPerson,
  type Plugin,
  type PluginEnv,
} from '../src/index.js';
import { fakeHost, sampleConnectorRequest, sampleEvents } from '../src/testing/index.js';

const schema = z.object({
  url: z.url(),
  retries: z.number().int().min(0).default(3),
  building: z.object({ code: z.string().min(2) }).optional(),
});

function connectorPlugin(
  connector: BusinessConnector = { call: async () => ({ outcome: 'accepted' }) },
  over: {
    id?: string;
    sdkVersion?: string;
    onRegister?: (env: PluginEnv<z.output<typeof schema>, 'token'>) => void;
  } = {},
) {
  return definePlugin({
    id: over.id ?? 'sample',
    sdkVersion: over.sdkVersion ?? '^1.0.0',
    config: schema,
    secrets: ['token'],
    register(env) {
      over.onRegister?.(env);
      env.provide(businessConnectorExtension, connector);
    },
  });
}

async function loadError(plugin: Plugin, config: unknown, secrets: Record<string, string> = { token: 't' }) {
  try {
    await loadPlugin(plugin, { config, secrets }, fakeHost());
  } catch (err) {
    expect(err).to.be.instanceOf(PluginLoadError);
    return err as PluginLoadError;
  }
  throw new Error('expected the plugin to be refused');
}

const ok = { url: 'https://dorm.example.edu' };

describe('loadPlugin: starting a plugin as the host does', () => {
  describe('refusing to start, in one line naming the plugin', () => {
    it('names the plugin, the key path and the problem of a bad configuration', async () => {
      const err = await loadError(connectorPlugin(), { url: 'not a url' });
      expect(err).to.be.instanceOf(PluginConfigError);
      expect(err.message).to.equal('plugin sample: config.url: Invalid URL');
    });

    it('names every problem, nested keys with dots, still on one line', async () => {
      const err = await loadError(connectorPlugin(), { url: 'https://x', retries: -1, building: { code: 'B' } });
      expect(err.message.split('\n')).to.have.length(1);
      expect(err.message).to.match(/^plugin sample: config\.retries: .+; config\.building\.code: .+$/);
      expect((err as PluginConfigError).problems.map((p) => p.key)).to.deep.equal([
        'config.retries',
        'config.building.code',
      ]);
    });

    it('names a missing key and a missing secret', async () => {
      const err = await loadError(connectorPlugin(), {}, {});
      expect(err.message).to.match(/^plugin sample: config\.url: [^;\n]+; secrets\.token: missing$/);
    });

    it('refuses a plugin built for another SDK, naming the plugin and both versions', async () => {
      const err = await loadError(connectorPlugin(undefined, { sdkVersion: '^2.0.0' }), ok);
      expect(err).to.be.instanceOf(PluginVersionError);
      expect(err.message).to.equal('plugin sample: built for plugin SDK ^2.0.0, but this hall has plugin SDK 1.1.0');
    });

    it('refuses a version range it cannot read', async () => {
      const err = await loadError(connectorPlugin(undefined, { sdkVersion: 'latest' }), ok);
      expect(err.message).to.equal('plugin sample: sdkVersion "latest" is not a version range');
    });

    it('names a plugin whose register throws, or that provides nothing, or a point twice', async () => {
      const throws = connectorPlugin(undefined, {
        onRegister: () => {
          throw new Error('cannot read\nthe certificate');
        },
      });
      expect((await loadError(throws, ok)).message).to.equal(
        'plugin sample: register failed: cannot read the certificate',
      );

      const nothing = definePlugin({ id: 'idle', sdkVersion: '^1.0.0', config: z.object({}), register() {} });
      expect((await loadError(nothing, {})).message).to.equal('plugin idle: provides no extension point');

      const twice = connectorPlugin(undefined, {
        onRegister: (env) => env.provide(businessConnectorExtension, { call: async () => ({ outcome: 'accepted' }) }),
      });
      expect((await loadError(twice, ok)).message).to.equal('plugin sample: provides business-connector twice');
    });

    it('refuses what is not a plugin, hides secrets in a register failure, refuses a late provide', async () => {
      const notAPlugin = { id: 'stray', register() {} } as unknown as Plugin;
      expect((await loadError(notAPlugin, {})).message).to.equal('plugin stray: not a plugin made with definePlugin');

      const leaks = connectorPlugin(undefined, {
        onRegister: (env) => {
          throw new Error(`401 with token ${env.secrets.token}`);
        },
      });
      expect((await loadError(leaks, ok, { token: 'tok-9f8e7d' })).message).to.equal(
        'plugin sample: register failed: 401 with token [secret]',
      );

      let late: (() => void) | undefined;
      await loadPlugin(
        connectorPlugin(undefined, {
          onRegister: (env) => {
            late = () => env.provide(dataPlatformSinkExtension, { deliver: async () => ({ acknowledged: [] }) });
          },
        }),
        { config: ok, secrets: { token: 't' } },
        fakeHost(),
      );
      expect(late).to.throw('plugin sample: provides data-platform-sink after register has returned');
    });

    it('refuses to define a plugin with an id that cannot name it', () => {
      expect(() =>
        definePlugin({ id: 'Dorm System', sdkVersion: '^1.0.0', config: z.object({}), register() {} }),
      ).to.throw('plugin id "Dorm System": use lower-case letters, digits and dashes');
    });
  });

  describe('what the plugin is given', () => {
    it('its validated configuration (defaults applied), only its declared secrets, a logger with its id', async () => {
      let seen: PluginEnv<z.output<typeof schema>, 'token'> | undefined;
      const host = fakeHost();
      await loadPlugin(
        connectorPlugin(undefined, { onRegister: (env) => (seen = env) }),
        { config: ok, secrets: { token: 'tok', database_password: 'hall-db' } },
        host,
      );
      expect(seen!.config).to.deep.equal({ url: 'https://dorm.example.edu', retries: 3 });
      expect(seen!.secrets).to.deep.equal({ token: 'tok' });
      expect(seen!.pluginId).to.equal('sample');
      seen!.logger.info('hello', { n: 1 });
      expect(host.logger.lines).to.deep.equal([
        { level: 'info', message: 'hello', fields: { plugin: 'sample', n: 1 } },
      ]);
    });

    it('runs under its instance id when the hall starts it more than once', async () => {
      let seen: PluginEnv<z.output<typeof schema>, 'token'> | undefined;
      const host = fakeHost();
      const loaded = await loadPlugin(
        connectorPlugin(undefined, { onRegister: (env) => (seen = env) }),
        { instance: 'finance-reimbursement', config: ok, secrets: { token: 't' } },
        host,
      );
      expect(loaded.id).to.equal('finance-reimbursement');
      expect(loaded.plugin).to.equal('sample');
      expect(seen!.pluginId).to.equal('finance-reimbursement');
      seen!.health.report('down', 'unreachable');
      expect(host.health.map((h) => h.pluginId)).to.deep.equal(['finance-reimbursement']);
      const err = await loadPlugin(
        connectorPlugin(),
        { instance: 'finance', config: { url: 'nope' }, secrets: {} },
        host,
      )
        .then(() => null)
        .catch((e: Error) => e);
      expect(err?.message).to.match(/^plugin finance: config\.url: [^;]+; secrets\.token: missing$/);
      const badInstance = await loadPlugin(connectorPlugin(), { instance: 'Finance Office', config: ok }, host)
        .then(() => null)
        .catch((e: Error) => e);
      expect(badInstance?.message).to.equal('plugin Finance Office: invalid instance id (plugin sample)');
    });

    it('understands a plugin made with another copy of the SDK (its extension points, its errors)', async () => {
      const copy = (await import(
        new URL('../src/index.ts?another-copy', import.meta.url).href
      )) as typeof import('../src/index.js');
      expect(copy.definePlugin, 'a second module instance').not.to.equal(definePlugin);
      const plugin = copy.definePlugin({
        id: 'bundled-sdk',
        sdkVersion: '^1.0.0',
        config: copy.z.object({}),
        register(env) {
          env.provide(copy.businessConnectorExtension, {
            call: async () => {
              throw new copy.RejectedError('the budget code is closed');
            },
          });
        },
      });
      const loaded = await loadPlugin(plugin as unknown as Plugin, { config: {} }, fakeHost());
      expect(await loaded.businessConnector!.call(sampleConnectorRequest())).to.deep.equal({
        outcome: 'rejected',
        reason: 'the budget code is closed',
      });
      expect(new copy.PluginHttpError('timeout', 'slow')).to.be.an.instanceOf(PluginHttpError);
      expect(new Error('plain')).not.to.be.an.instanceOf(PluginHttpError);
    });

    it('its optional secrets when they are given, and nothing in their place when not', async () => {
      const seen: Array<Readonly<Record<string, string | undefined>>> = [];
      const plugin = definePlugin({
        id: 'open-system',
        sdkVersion: '^1.1.0',
        config: z.object({}),
        optionalSecrets: ['token'],
        register(env) {
          const token: string | undefined = env.secrets.token;
          seen.push({ token });
          env.provide(businessConnectorExtension, { call: async () => ({ outcome: 'accepted' }) });
        },
      });
      await loadPlugin(plugin, { config: {}, secrets: { token: 'tok' } }, fakeHost());
      await loadPlugin(plugin, { config: {}, secrets: { token: '' } }, fakeHost());
      await loadPlugin(plugin, { config: {} }, fakeHost());
      expect(seen).to.deep.equal([{ token: 'tok' }, { token: undefined }, { token: undefined }]);
    });

    it('its logger writes [secret] wherever a line would show one of its secrets', async () => {
      let seen: PluginEnv<z.output<typeof schema>, 'token'> | undefined;
      const host = fakeHost();
      await loadPlugin(
        connectorPlugin(undefined, { onRegister: (env) => (seen = env) }),
        { config: ok, secrets: { token: 'tok-9f8e7d' } },
        host,
      );
      seen!.logger
        .child({ auth: 'Bearer tok-9f8e7d' })
        .warn('calling with tok-9f8e7d', { headers: { authorization: 'Bearer tok-9f8e7d' }, n: 2 });
      expect(host.logger.lines).to.deep.equal([
        {
          level: 'warn',
          message: 'calling with [secret]',
          fields: { plugin: 'sample', auth: 'Bearer [secret]', headers: { authorization: 'Bearer [secret]' }, n: 2 },
        },
      ]);
    });

    it('health reports reach the host, are logged when the status changes, and the last one is kept', async () => {
      let env: PluginEnv<z.output<typeof schema>, 'token'> | undefined;
      const host = fakeHost();
      const loaded = await loadPlugin(
        connectorPlugin(undefined, { onRegister: (e) => (env = e) }),
        { config: ok, secrets: { token: 't' } },
        host,
      );
      expect(loaded.health()).to.deep.equal({ status: 'unknown' });
      env!.health.report('ok');
      env!.health.report('ok');
      host.clock.advance(60_000);
      env!.health.report('down', 'connection refused');
      expect(loaded.health()).to.deep.equal({
        status: 'down',
        detail: 'connection refused',
        at: new Date('2026-09-01T08:01:00Z'),
      });
      expect(host.health.map((h) => [h.pluginId, h.report.status])).to.deep.equal([
        ['sample', 'ok'],
        ['sample', 'ok'],
        ['sample', 'down'],
      ]);
      expect(host.logger.lines.map((l) => [l.level, l.message])).to.deep.equal([
        ['info', 'health: ok'],
        ['warn', 'health: down'],
      ]);
    });
  });

  describe('the extension points as the host calls them', () => {
    it('a connector that never settles is cut off at the deadline as retry-later', async () => {
      const loaded = await loadPlugin(
        connectorPlugin({ call: () => new Promise(() => {}) }),
        { config: ok, secrets: { token: 't' } },
        fakeHost(),
      );
      const started = Date.now();
      const result = await loaded.businessConnector!.call(sampleConnectorRequest(), { timeoutMs: 100 });
      expect(Date.now() - started).to.be.below(1_000);
      expect(result).to.deep.equal({ outcome: 'retry-later', reason: 'no answer within 100 ms' });
    });

    it('a connector that throws or answers nonsense is classified, never throws at the host', async () => {
      const settings = { config: ok, secrets: { token: 't' } };
      const throwing = await loadPlugin(
        connectorPlugin({
          call: async () => {
            throw new Error('socket hang up');
          },
        }),
        settings,
        fakeHost(),
      );
      expect(await throwing.businessConnector!.call(sampleConnectorRequest())).to.deep.equal({
        outcome: 'retry-later',
        reason: 'socket hang up',
      });
      const nonsense = await loadPlugin(
        connectorPlugin({ call: async () => ({ outcome: 'maybe' }) as never }),
        settings,
        fakeHost(),
      );
      expect((await nonsense.businessConnector!.call(sampleConnectorRequest())).outcome).to.equal('retry-later');
    });

    it('a sink: acknowledged ids outside the batch are dropped; a throw acknowledges nothing', async () => {
      let fail = false;
      const plugin = definePlugin({
        id: 'lake',
        sdkVersion: '^1.0.0',
        config: z.object({}),
        register(env) {
          env.provide(dataPlatformSinkExtension, {
            async deliver(batch) {
              if (fail) throw new Error('platform down');
              return { acknowledged: [batch[0]!.id, 'stranger'] };
            },
          });
        },
      });
      const host = fakeHost();
      const { dataPlatformSink } = await loadPlugin(plugin, {}, host);
      const batch = sampleEvents(2);
      expect(await dataPlatformSink!.deliver(batch)).to.deep.equal({ acknowledged: ['evt-1'] });
      expect(host.logger.lines.map((l) => l.message)).to.include(
        'data-platform sink acknowledged ids not in the batch',
      );
      fail = true;
      expect(await dataPlatformSink!.deliver(batch)).to.deep.equal({ acknowledged: [], error: 'platform down' });
    });

    it('a directory: an async iterable is collected, and a malformed person is named', async () => {
      let people: unknown[] = [];
      const plugin = definePlugin({
        id: 'hr-export',
        sdkVersion: '^1.0.0',
        config: z.object({}),
        register(env) {
          env.provide(directorySourceExtension, {
            async *people() {
              for (const p of people) yield p as DirectoryPerson;
            },
          });
        },
      });
      const { directorySource } = await loadPlugin(plugin, {}, fakeHost());
      const alice: DirectoryPerson = {
        id: 'T001',
        name: '王芳',
        type: 'staff',
        unit: 'CS',
        status: 'active',
        email: 'wangfang@example.edu',
      };
      people = [alice];
      expect(await directorySource!.people()).to.deep.equal([alice]);
      people = [alice, { ...alice, id: 'T002', email: 'not-an-email' }];
      try {
        await directorySource!.people();
        expect.fail('a malformed person');
      } catch (err) {
        expect((err as Error).message).to.match(/^plugin hr-export: directory person \[1\]\.email: /);
      }
    });
  });
});
