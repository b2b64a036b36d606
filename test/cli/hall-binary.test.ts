import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** `hall perm grant` as an operator runs it: the compiled binary in a process of its own. */
describe('hall binary (built)', function () {
  this.timeout(180_000);
  let t: TestApp;
  before(async () => {
    await run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
    t = await createTestApp();
    await t.db
      .knex('people')
      .insert({ id: 'T0950', name: '新办理人', type: 'staff', unit_key: 'finance', status: 'active' });
  });
  after(async () => {
    await t.close();
  });

  const hall = (...args: string[]) =>
    run(process.execPath, ['bin/run.js', ...args], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: t.db.url,
        SESSION_SECRET: 'bin-test-secret-bin-test-secret-0123456',
        HALL_OPERATOR: 'T0002',
      },
    });

  it('grants a role and prints the result as JSON', async () => {
    const { stdout } = await hall(
      'perm',
      'grant',
      '--subject',
      'T0950',
      '--role',
      'handler',
      '--unit',
      'finance',
      '--json',
    );
    expect(JSON.parse(stdout)).to.deep.equal({ subject: 'T0950', role: 'handler', unit: 'finance' });
    expect(
      await t.db.knex('casbin_rule').where({ ptype: 'g', v0: 'T0950', v1: 'handler', v2: 'finance' }).first(),
    ).to.not.equal(undefined);
  });

  it('exits with 2 and one clear line when the rules refuse', async () => {
    let error: { code?: number; stderr?: string } | undefined;
    try {
      await hall('perm', 'grant', '--subject', 'T0950', '--role', 'it-office', '--unit', '*');
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.code).to.equal(2);
    expect(error?.stderr).to.contain('Art. 17');
    expect(error?.stderr).to.not.match(/\n\s+at /);
  });
});
