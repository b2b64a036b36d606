import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import { setEnv } from '../fixtures/process-env.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { skipWithoutSlapd, startSlapd, type TestDirectoryServer } from '../fixtures/slapd.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `hall people sync` pulls people from the university's LDAP directory when no HR export is named. */
describe('hall people sync from LDAP (real slapd)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let slapd: TestDirectoryServer;
  let restoreEnv = () => {};

  before(async function () {
    skipWithoutSlapd(this);
    slapd = await startSlapd([
      {
        uid: 'zhaoxin',
        cn: 'Zhao Xin',
        employeeNumber: 'T0975',
        password: 'p',
        extra: {
          displayName: '赵新',
          employeeType: '教职工',
          departmentNumber: 'finance',
          businessCategory: '在职',
          mail: 'zhaoxin@campus.test',
        },
      },
      {
        uid: 'qianlt',
        cn: 'Qian',
        employeeNumber: 'T0976',
        password: 'p',
        extra: { displayName: '钱老师', employeeType: 'staff', departmentNumber: 'finance', businessCategory: '退休' },
      },
    ]);
    t = await createTestApp();
    await t.db
      .knex('people')
      .insert({ id: 'T0976', name: '钱老师', type: 'staff', unit_key: 'finance', status: 'active' });
    restoreEnv = setEnv({
      DIRECTORY_FILE: undefined,
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      LDAP_URL: slapd.url,
      LDAP_BIND_DN: slapd.bindDn,
      LDAP_BIND_PASSWORD: slapd.bindPassword,
      LDAP_BASE_DN: slapd.baseDn,
    });
  });
  after(async () => {
    restoreEnv();
    await t?.close();
    await slapd?.stop();
  });

  it('adds the new person, applies the retirement, and a second run changes nothing', async () => {
    const first = await runCommand(['people', 'sync', '--operator', 'T0002', '--json'], { root });
    expect(first.error, String(first.error?.message)).to.equal(undefined);
    const r = JSON.parse(first.stdout) as { added: string[]; updated: Array<{ id: string; fields: string[] }> };
    expect(r.added).to.deep.equal(['T0975']);
    expect(r.updated).to.deep.equal([{ id: 'T0976', fields: ['status'] }]);
    expect(await t.db.knex('people').where({ id: 'T0975' }).first()).to.deep.include({
      name: '赵新',
      type: 'staff',
      unit_key: 'finance',
      status: 'active',
      email: 'zhaoxin@campus.test',
    });
    const second = JSON.parse(
      (await runCommand(['people', 'sync', '--operator', 'T0002', '--json'], { root })).stdout,
    ) as { added: unknown[]; updated: unknown[] };
    expect([second.added, second.updated]).to.deep.equal([[], []]);
  });
});
