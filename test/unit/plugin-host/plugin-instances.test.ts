import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadedPlugin } from '@service-hall/plugin-sdk';
import {
  HallConfigError,
  HTTP_CONNECTOR_MODULE,
  pluginInstances,
  readHallConfig,
} from '../../../src/adapters/plugin-host/hall-config.js';
import { pluginSinks } from '../../../src/adapters/plugin-host/plugin-data-platform-sink.js';

describe('plugin instances: HALL_CONFIG (JSON or YAML) and CONNECTORS', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, text: string) => {
    const f = path.join(dir, name);
    await writeFile(f, text);
    return f;
  };

  it('reads the same configuration from YAML as from JSON, secrets from the environment, a sink’s personal-data handling', async () => {
    const yaml = await file(
      'hall.config.yaml',
      [
        'plugins:',
        '  statistics:',
        '    module: "@university/hall-statistics-sink"',
        '    config: { url: "https://data.example.edu.cn/events" }',
        '    secrets: { apiKey: { env: STATS_KEY } }',
        '    personalData: mask',
        '  archive:',
        '    module: ./plugins/archive.js',
      ].join('\n'),
    );
    const json = await file(
      'hall.config.json',
      JSON.stringify({
        plugins: {
          statistics: {
            module: '@university/hall-statistics-sink',
            config: { url: 'https://data.example.edu.cn/events' },
            secrets: { apiKey: { env: 'STATS_KEY' } },
            personalData: 'mask',
          },
          archive: { module: './plugins/archive.js' },
        },
      }),
    );
    expect(await readHallConfig(yaml)).to.deep.equal(await readHallConfig(json));
    const instances = pluginInstances(await readHallConfig(yaml), {}, { STATS_KEY: 'k-123' });
    expect(instances.statistics).to.deep.equal({
      module: '@university/hall-statistics-sink',
      config: { url: 'https://data.example.edu.cn/events' },
      secrets: { apiKey: 'k-123' },
      personalData: 'mask',
      from: 'HALL_CONFIG',
    });
    expect(instances.archive!.personalData, 'left out unless said').to.equal('omit');
  });

  it('names the file and the key of a bad YAML file, and of YAML that does not parse', async () => {
    const bad = await file('bad.yml', 'plugins:\n  statistics:\n    module: 7\n    personalData: show\n');
    const error = await readHallConfig(bad).catch((e: Error) => e);
    expect(error).to.be.instanceOf(HallConfigError);
    expect((error as Error).message).to.match(
      /^HALL_CONFIG .*bad\.yml: plugins\.statistics\.module: .*; plugins\.statistics\.personalData: /,
    );
    const broken = await file('broken.yaml', 'plugins: [unclosed');
    expect(((await readHallConfig(broken).catch((e: Error) => e)) as Error).message).to.match(
      /^HALL_CONFIG .*broken\.yaml: /,
    );
  });

  it('each CONNECTORS entry is an instance of the bundled HTTP connector, its token a secret; an id in both stops', () => {
    expect(
      pluginInstances(
        undefined,
        { 'finance-reimbursement': { url: 'https://cw.example/cases', timeoutMs: 5000, token: 't' } },
        {},
      ),
    ).to.deep.equal({
      'finance-reimbursement': {
        module: HTTP_CONNECTOR_MODULE,
        config: { url: 'https://cw.example/cases', timeoutMs: 5000 },
        secrets: { token: 't' },
        personalData: 'omit',
        from: 'CONNECTORS',
      },
    });
    expect(() =>
      pluginInstances(
        { plugins: { dorm: { module: 'x', config: {}, secrets: {}, personalData: 'omit' } } },
        { dorm: { url: 'https://dorm.example/', timeoutMs: 5000 } },
        {},
      ),
    ).to.throw("connector 'dorm' is configured twice: in CONNECTORS and in HALL_CONFIG");
  });

  it("a plugin's sink takes its instance's personal-data handling", () => {
    const sink = (id: string): LoadedPlugin => ({
      id,
      plugin: 'hall-statistics-sink',
      sdkVersion: '^1.0.0',
      health: () => ({ status: 'unknown' }),
      dataPlatformSink: { deliver: async () => ({ acknowledged: [] }) },
    });
    expect(
      pluginSinks([sink('statistics'), sink('archive')], { statistics: 'mask' }).map((s) => [s.name, s.personalData]),
    ).to.deep.equal([
      ['statistics', 'mask'],
      ['archive', 'omit'],
    ]);
  });
});
