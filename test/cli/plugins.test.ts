import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as yaml } from 'yaml';
import { setEnv } from '../fixtures/process-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `hall plugin list|check`: the plugins HALL_CONFIG names, loaded as the start would, with no database. */
describe('hall plugin list|check (in process)', function () {
  this.timeout(60_000);
  let dir: string;
  let restoreEnv = () => {};
  const hall = (...args: string[]) => runCommand(args, { root });
  const configure = async (
    plugins: Record<string, unknown>,
    o: { format?: 'json' | 'yaml'; connectors?: Record<string, unknown> } = {},
  ) => {
    const file = path.join(dir, `hall-${globalThis.crypto.randomUUID()}.${o.format ?? 'json'}`);
    await writeFile(file, o.format === 'yaml' ? yaml({ plugins }) : JSON.stringify({ plugins }));
    restoreEnv();
    restoreEnv = setEnv({
      HALL_CONFIG: file,
      HALL_TEST_DORM_TOKEN: 's3cret',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      CONNECTORS: o.connectors ? JSON.stringify(o.connectors) : undefined,
    });
  };
  const dormitory = (config: Record<string, unknown>) => ({
    module: '@service-hall/plugin-example-dormitory',
    config,
    secrets: { token: { env: 'HALL_TEST_DORM_TOKEN' } },
  });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-plugin-cli-'));
  });
  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  it('list: each plugin instance, from a YAML file and from CONNECTORS, with its plugin, SDK range and what it provides (no database needed)', async () => {
    await configure(
      { dormitory: dormitory({ url: 'https://dorm.example.edu/api/' }) },
      { format: 'yaml', connectors: { 'finance-reimbursement': { url: 'https://finance.example.edu/cases' } } },
    );
    const listed = await hall('plugin', 'list', '--json');
    expect(listed.error, String(listed.error?.message)).to.equal(undefined);
    expect(JSON.parse(listed.stdout)).to.deep.equal({
      plugins: [
        {
          id: 'dormitory',
          module: '@service-hall/plugin-example-dormitory',
          from: 'HALL_CONFIG',
          loaded: {
            plugin: 'example-dormitory',
            sdkVersion: '^1.0.0',
            provides: ['business connector'],
            health: 'unknown',
          },
        },
        {
          id: 'finance-reimbursement',
          module: '@service-hall/plugin-http-connector',
          from: 'CONNECTORS',
          loaded: {
            plugin: 'http-connector',
            sdkVersion: '^1.1.0',
            provides: ['business connector'],
            health: 'unknown',
          },
        },
      ],
    });
    const checked = await hall('plugin', 'check');
    expect(checked.error, String(checked.error?.message)).to.equal(undefined);
    expect(checked.stdout).to.contain('✓ dormitory (business connector)');
    expect(checked.stdout).to.contain('✓ finance-reimbursement (business connector)');
  });

  it('a connector id configured both in CONNECTORS and in the file stops the check, naming it', async () => {
    await configure(
      { dormitory: dormitory({ url: 'https://dorm.example.edu/api/' }) },
      { connectors: { dormitory: { url: 'https://dorm.example.edu/cases' } } },
    );
    const checked = await hall('plugin', 'check');
    expect(checked.error?.oclif?.exit).to.equal(78);
    expect(checked.error?.message).to.equal(
      "connector 'dormitory' is configured twice: in CONNECTORS and in HALL_CONFIG",
    );
  });

  it('check: exits 1 naming every plugin that cannot start and why, each on its own', async () => {
    await configure({
      'example-dormitory': dormitory({ url: 'not a url' }),
      missing: { module: '@service-hall/plugin-that-does-not-exist' },
    });
    const checked = await hall('plugin', 'check');
    expect(checked.error?.oclif?.exit).to.equal(1);
    expect(checked.stdout).to.match(/✗ plugin example-dormitory: config\.url: /);
    expect(checked.stdout).to.contain(
      '✗ plugin missing: module @service-hall/plugin-that-does-not-exist cannot be imported',
    );
    const listed = await hall('plugin', 'list', '--json');
    expect(JSON.parse(listed.stdout).plugins.map((p: { problem?: string }) => !!p.problem)).to.deep.equal([true, true]);
  });

  it('a configuration file that is not valid names the key, in JSON and in YAML', async () => {
    await configure({ 'example-dormitory': { config: {} } });
    const checked = await hall('plugin', 'check');
    expect(checked.error?.oclif?.exit).to.equal(78);
    expect(checked.error?.message).to.match(/plugins\.example-dormitory\.module/);
    await configure({ 'example-dormitory': { module: 7 } }, { format: 'yaml' });
    const yamlChecked = await hall('plugin', 'check');
    expect(yamlChecked.error?.oclif?.exit).to.equal(78);
    expect(yamlChecked.error?.message).to.match(/^HALL_CONFIG .*\.yaml: plugins\.example-dormitory\.module: /);
  });
});
