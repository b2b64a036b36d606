import { expect } from 'chai';
import { LdaptsIdentityProvider } from '../../src/adapters/driven/ldapts/ldapts-identity-provider.js';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { skipWithoutSlapd, startSlapd, type TestDirectoryServer } from '../fixtures/slapd.js';

/** LDAP sign-in against a real OpenLDAP slapd. */
describe('LdaptsIdentityProvider (real slapd)', function () {
  this.timeout(30_000);
  let slapd: TestDirectoryServer;
  let ldap: LdaptsIdentityProvider;

  before(async function () {
    skipWithoutSlapd(this);
    slapd = await startSlapd([
      { uid: 'chenjw', cn: '陈教务', employeeNumber: 'T0101', password: 'correct horse' },
      { uid: 'admin', cn: 'Directory Admin Person', employeeNumber: 'T0002', password: 'admin-pass' },
      { uid: 'nopass', cn: 'No Number', employeeNumber: 'T0777', password: 'x' },
    ]);
    ldap = new LdaptsIdentityProvider({
      url: slapd.url,
      bindDn: slapd.bindDn,
      bindPassword: slapd.bindPassword,
      baseDn: slapd.baseDn,
      loginAttribute: 'uid',
      idAttribute: 'employeeNumber',
      timeoutMs: 3000,
    });
  });
  after(async () => {
    await slapd?.stop();
  });

  it('binds as the person and returns their staff number', async () => {
    const r = await ldap.authenticate({ username: 'chenjw', password: 'correct horse' });
    expect(r).to.deep.equal({ ok: true, value: { personId: 'T0101', provider: 'ldap' } });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await ldap.authenticate({ username: 'chenjw', password: 'wrong' });
    const unknown = await ldap.authenticate({ username: 'nobody', password: 'wrong' });
    expect([wrong.ok, unknown.ok]).to.deep.equal([false, false]);
    if (!wrong.ok && !unknown.ok) expect(wrong.error.code).to.equal(unknown.error.code);
  });

  it('refuses an empty password instead of letting it become an anonymous bind', async () => {
    expect((await ldap.authenticate({ username: 'chenjw', password: '' })).ok).to.equal(false);
  });

  for (const payload of [
    '*',
    '*)(uid=*',
    'admin)(|(uid=*',
    'admin)(|(',
    'chenjw)(objectClass=*',
    'admin\u0000',
    '*)(|(employeeNumber=*))',
    '\\2a',
  ]) {
    it(`LDAP injection ${JSON.stringify(payload)} finds nobody and signs nobody in`, async () => {
      for (const password of ['admin-pass', 'correct horse', 'x']) {
        const r = await ldap.authenticate({ username: payload, password });
        expect(r.ok, `${payload} / ${password}`).to.equal(false);
      }
    });
  }

  it('an unreachable directory is a clear refusal, not a crash', async () => {
    const down = new LdaptsIdentityProvider({
      url: 'ldap://127.0.0.1:9',
      bindDn: slapd.bindDn,
      bindPassword: slapd.bindPassword,
      baseDn: slapd.baseDn,
      loginAttribute: 'uid',
      idAttribute: 'employeeNumber',
      timeoutMs: 500,
    });
    const r = await down.authenticate({ username: 'chenjw', password: 'correct horse' });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.code).to.equal('AUTH.LDAP_UNAVAILABLE');
  });
});

describe('LDAP sign-in through the API (e2e, real slapd)', function () {
  this.timeout(30_000);
  let slapd: TestDirectoryServer;
  let t: TestApp;
  before(async function () {
    skipWithoutSlapd(this);
    slapd = await startSlapd([{ uid: 'chenjw', cn: '陈教务', employeeNumber: 'T0101', password: 'correct horse' }]);
    t = await createTestApp(undefined, (c) => ({
      ...c,
      localAccounts: false,
      ldap: {
        url: slapd.url,
        bindDn: slapd.bindDn,
        bindPassword: slapd.bindPassword,
        baseDn: slapd.baseDn,
        loginAttribute: 'uid',
        idAttribute: 'employeeNumber',
        timeoutMs: 3000,
      },
    }));
  });
  after(async () => {
    await t?.close();
    await slapd?.stop();
  });

  it("POST /auth/login signs in with the directory password and maps to the hall's person", async () => {
    const res = await request(t.app).post('/api/v1/auth/login').send({ username: 'chenjw', password: 'correct horse' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.person.id).to.equal('T0101');
    const local = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: 'jw-admin', password: DEMO_PASSWORD });
    expect(local.status, 'local demo passwords are not used once LDAP is configured').to.equal(401);
    const injected = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: '*)(uid=*', password: 'correct horse' });
    expect(injected.status).to.equal(401);
  });
});
