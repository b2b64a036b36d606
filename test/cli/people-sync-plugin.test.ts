import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setEnv } from '../fixtures/process-env.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `hall people sync` reads a directory source plugin (built only on the SDK) as it reads the HR export or LDAP. */
describe('hall people sync from a directory plugin (in process)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let dir: string;
  let restoreEnv = () => {};

  before(async () => {
    t = await createTestApp();
    await t.db
      .knex('people')
      .insert([{ id: 'T0995', name: '将离职', type: 'staff', unit_key: 'finance', status: 'active' }]);
    dir = await mkdtemp(path.join(tmpdir(), 'hall-dir-plugin-'));
    const file = path.join(dir, 'hall.json');
    const people = [
      { id: 'T0995', name: '将离职', type: 'staff', unit: 'finance', status: 'left', email: null },
      { id: 'T0996', name: '新同事', type: 'staff', unit: 'finance', status: 'active', email: 't0996@campus.test' },
    ];
    await writeFile(
      file,
      JSON.stringify({
        plugins: { 'static-directory': { module: './test/fixtures/plugins/static-directory.ts', config: { people } } },
      }),
    );
    restoreEnv = setEnv({
      HALL_CONFIG: file,
      DIRECTORY_FILE: undefined,
      LDAP_URL: undefined,
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    });
  });
  after(async () => {
    restoreEnv();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds the newcomer and offboards the leaver the plugin reports', async () => {
    const sync = await runCommand(['people', 'sync', '--operator', 'T0002', '--json'], { root });
    expect(sync.error, String(sync.error?.message)).to.equal(undefined);
    const report = JSON.parse(sync.stdout) as { offboarded: Array<{ personId: string }> };
    expect(report.offboarded.map((o) => o.personId)).to.deep.equal(['T0995']);
    const rows = await t.db.knex('people').whereIn('id', ['T0995', 'T0996']).orderBy('id').select('id', 'status');
    expect(rows).to.deep.equal([
      { id: 'T0995', status: 'left' },
      { id: 'T0996', status: 'active' },
    ]);
  });
});
