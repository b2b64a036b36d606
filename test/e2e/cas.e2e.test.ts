import { expect } from 'chai';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { TestCasServer } from '../fixtures/cas-server.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const SERVICE = 'http://hall.campus.test/api/v1/auth/cas/callback';

describe('CAS single sign-on (e2e, real CAS protocol over HTTP)', () => {
  const cas = new TestCasServer({
    zhangsan: { employeeNumber: 'T0101', displayName: '陈教务' },
    lisi: { employeeNumber: 'T9999', displayName: '不在办事大厅' },
  });
  let t: TestApp;
  before(async () => {
    await cas.start();
    t = await createTestApp(undefined, (c) => ({
      ...c,
      // a 'reverse proxy' on loopback may name other clients, to show where a logout comes from
      trustedProxies: ['127.0.0.1', '::1'],
      localAccounts: false,
      cas: {
        serverUrl: cas.base,
        serviceUrl: SERVICE,
        protocol: 'p3',
        idAttribute: 'employeeNumber',
        timeoutMs: 2000,
        logoutAllowedAddresses: [],
      },
    }));
  });
  after(async () => {
    await t.close();
    await cas.stop();
  });

  /** The hall's redirect, the CAS sign-in, and the callback with the ticket — as a browser would. */
  async function signIn(user: string, returnTo = '/portal') {
    const start = await request(t.app).get(`/api/v1/auth/cas/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status).to.equal(302);
    const back = await cas.signIn(start.headers.location as string, user);
    const ticket = back.searchParams.get('ticket')!;
    const callback = await request(t.app).get(`/api/v1/auth/cas/callback${back.search}`);
    return { start, ticket, callback };
  }

  it('redirects to CAS with this hall as the service, then validates the ticket (CAS 3.0, attributes) and opens a session', async () => {
    const { start, callback } = await signIn('zhangsan');
    expect(start.headers.location).to.equal(
      `${cas.base}/login?service=${encodeURIComponent(`${SERVICE}?returnTo=%2Fportal`)}`,
    );
    expect(callback.status, JSON.stringify(callback.body)).to.equal(200);
    expect(callback.body).to.deep.include({ person: { id: 'T0101', name: '陈教务' }, returnTo: '/portal' });
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${callback.body.token}`);
    expect(me.body.id).to.equal('T0101');
  });

  it('a ticket is good once: replaying it is INVALID_TICKET', async () => {
    const { ticket } = await signIn('zhangsan');
    const replay = await request(t.app).get(`/api/v1/auth/cas/callback?returnTo=%2Fportal&ticket=${ticket}`);
    expect(replay.status).to.equal(401);
    expect(replay.body.code).to.equal('AUTH.CAS_INVALID_TICKET');
  });

  it('a ticket issued for another service is INVALID_SERVICE', async () => {
    const back = await cas.signIn(
      `${cas.base}/login?service=${encodeURIComponent('http://elsewhere.test/cb')}`,
      'zhangsan',
    );
    const res = await request(t.app).get(`/api/v1/auth/cas/callback?ticket=${back.searchParams.get('ticket')}`);
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH.CAS_INVALID_SERVICE');
  });

  it('a CAS user the hall does not know gets no session, and the attempt is audited', async () => {
    const { callback } = await signIn('lisi');
    expect(callback.status).to.equal(401);
    const audit = await t.db.knex('audit_log').where({ action: 'auth.sso-login-failed', entity_id: 'T9999' }).first();
    expect(audit).to.not.equal(undefined);
  });

  it('single logout from CAS ends the session that ticket opened, and only that one', async () => {
    const first = await signIn('zhangsan');
    const second = await signIn('zhangsan');
    const slo = await request(t.app)
      .post('/api/v1/auth/cas/logout')
      .type('form')
      .send({ logoutRequest: TestCasServer.logoutRequest(first.ticket) });
    expect(slo.body).to.deep.equal({ ended: 1 });
    expect(
      (await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${first.callback.body.token}`)).status,
    ).to.equal(401);
    expect(
      (await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${second.callback.body.token}`)).status,
    ).to.equal(200);
  });

  it("single logout is taken only from the CAS server's address: from anywhere else it is 403 problem+json and ends nothing", async () => {
    const { ticket, callback } = await signIn('zhangsan');
    const slo = await request(t.app)
      .post('/api/v1/auth/cas/logout')
      .set('X-Forwarded-For', '203.0.113.9')
      .type('form')
      .send({ logoutRequest: TestCasServer.logoutRequest(ticket) });
    expect(slo.status).to.equal(403);
    expect(slo.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(slo.body.code).to.equal('AUTH.LOGOUT_NOT_FROM_SSO_SERVER');
    expect(
      (await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${callback.body.token}`)).status,
    ).to.equal(200);
  });

  it('a logout request with a DOCTYPE (entity expansion) is 400 problem+json naming logoutRequest, never a 500, and ends nothing', async () => {
    const { ticket, callback } = await signIn('zhangsan');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${TestCasServer.logoutRequest(ticket)}`;
    const slo = await request(t.app).post('/api/v1/auth/cas/logout').type('form').send({ logoutRequest: xml });
    expect(slo.status).to.equal(400);
    expect(slo.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(slo.body.code).to.equal('AUTH.CAS_BAD_LOGOUT_REQUEST');
    expect(slo.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/logoutRequest']);
    expect(
      (await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${callback.body.token}`)).status,
    ).to.equal(200);
  });

  it('returnTo must be a path of this site or a portal origin: another site, //host, /\\host or javascript: is 400 problem+json naming returnTo', async () => {
    for (const returnTo of ['https://other.example', '//other.example', '/\\other.example', 'javascript:alert(1)']) {
      const start = await request(t.app).get(`/api/v1/auth/cas/login?returnTo=${encodeURIComponent(returnTo)}`);
      expect(start.status, returnTo).to.equal(400);
      expect(start.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(start.body.code).to.equal('AUTH.RETURN_TO_NOT_ALLOWED');
      expect(start.body.errors).to.deep.include({
        in: 'query',
        path: '/returnTo',
        message: start.body.errors[0].message,
      });
      expect(start.headers.location).to.equal(undefined);
    }
    const portal = await request(t.app).get(
      `/api/v1/auth/cas/login?returnTo=${encodeURIComponent('https://portal.campus.test/tasks')}`,
    );
    expect(portal.status).to.equal(302);
  });

  it('a callback link carrying a returnTo to another site is refused before the ticket is spent', async () => {
    const start = await request(t.app).get('/api/v1/auth/cas/login');
    const back = await cas.signIn(start.headers.location as string, 'zhangsan');
    const ticket = back.searchParams.get('ticket')!;
    const forged = await request(t.app).get(
      `/api/v1/auth/cas/callback?ticket=${ticket}&returnTo=${encodeURIComponent('//other.example')}`,
    );
    expect(forged.status).to.equal(400);
    expect(forged.body.code).to.equal('AUTH.RETURN_TO_NOT_ALLOWED');
    expect(forged.body).to.not.have.property('token');
    const own = await request(t.app).get(`/api/v1/auth/cas/callback${back.search}`);
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
  });

  it('local passwords are off once CAS is configured', async () => {
    const res = await request(t.app).post('/api/v1/auth/login').send({ username: 'jw-admin', password: DEMO_PASSWORD });
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH.LOCAL_ACCOUNTS_DISABLED');
  });

  it('a callback without a ticket, or with a malformed one, is refused without calling CAS', async () => {
    expect((await request(t.app).get('/api/v1/auth/cas/callback')).body.code).to.equal('AUTH.CAS_NO_TICKET');
    expect((await request(t.app).get('/api/v1/auth/cas/callback?ticket=ST-<script>')).body.code).to.equal(
      'AUTH.CAS_NO_TICKET',
    );
  });
});

describe('CAS unreachable and CAS 2.0 (e2e)', () => {
  it('an unreachable CAS server is a clear 401, not a crash', async () => {
    const t = await createTestApp(undefined, (c) => ({
      ...c,
      cas: {
        serverUrl: 'http://127.0.0.1:9/cas',
        serviceUrl: SERVICE,
        protocol: 'p3',
        idAttribute: 'user',
        timeoutMs: 500,
        logoutAllowedAddresses: [],
      },
    }));
    try {
      const res = await request(t.app).get('/api/v1/auth/cas/callback?ticket=ST-abc');
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('AUTH.CAS_UNAVAILABLE');
    } finally {
      await t.close();
    }
  });

  it('CAS 2.0 (/serviceValidate) maps cas:user to the person id', async () => {
    const cas = new TestCasServer({ T0102: {} });
    await cas.start();
    const t = await createTestApp(undefined, (c) => ({
      ...c,
      cas: {
        serverUrl: cas.base,
        serviceUrl: SERVICE,
        protocol: 'v2',
        idAttribute: 'user',
        timeoutMs: 2000,
        logoutAllowedAddresses: [],
      },
    }));
    try {
      const start = await request(t.app).get('/api/v1/auth/cas/login');
      const back = await cas.signIn(start.headers.location as string, 'T0102');
      const res = await request(t.app).get(`/api/v1/auth/cas/callback${back.search}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.person.id).to.equal('T0102');
    } finally {
      await t.close();
      await cas.stop();
    }
  });
});
