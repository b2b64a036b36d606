import { expect } from 'chai';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

/** The directives of a Content-Security-Policy header: name -> sources. */
function csp(header: unknown): Record<string, string[]> {
  expect(header, 'a Content-Security-Policy').to.be.a('string');
  return Object.fromEntries(
    (header as string)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  function expectLockedDown(res: request.Response, what: string) {
    expect(res.headers['x-content-type-options'], what).to.equal('nosniff');
    expect(res.headers['x-frame-options'], what).to.equal('DENY');
    expect(res.headers['cache-control'], what).to.equal('no-store');
    const policy = csp(res.headers['content-security-policy']);
    expect(policy['default-src'], what).to.deep.equal(["'none'"]);
    expect(policy['frame-ancestors'], what).to.deep.equal(["'none'"]);
  }

  it('the login response, an authenticated answer and a refusal are neither cached, framed, sniffed nor run', async () => {
    const login = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: 'jw-admin', password: DEMO_PASSWORD });
    expect(login.status).to.equal(200);
    expectLockedDown(login, 'login');
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${login.body.token}`);
    expect(me.status).to.equal(200);
    expectLockedDown(me, 'me');
    const refused = await request(t.app).get('/api/v1/me');
    expect(refused.status).to.equal(401);
    expectLockedDown(refused, 'a 401');
    const wrong = await request(t.app).post('/api/v1/auth/login').send({ username: 'jw-admin', password: 'guess' });
    expectLockedDown(wrong, 'a failed login');
  });

  it('/api/docs gets a policy of its own: scripts and styles of this origin only, never framed', async () => {
    const page = await request(t.app).get('/api/docs/');
    expect(page.status).to.equal(200);
    expect(page.headers['x-content-type-options']).to.equal('nosniff');
    expect(page.headers['x-frame-options']).to.equal('DENY');
    const policy = csp(page.headers['content-security-policy']);
    expect(policy['default-src']).to.deep.equal(["'none'"]);
    expect(policy['script-src']).to.deep.equal(["'self'"]);
    expect(policy['frame-ancestors']).to.deep.equal(["'none'"]);
    // what the page loads is served under that policy
    const assets = page.text.match(/(?<=src=")\.\/[^"]+\.js(?=")/g) ?? [];
    expect(assets).to.not.deep.equal([]);
    for (const asset of assets)
      expect((await request(t.app).get(`/api/docs/${asset.slice(2)}`)).status, asset).to.equal(200);
    expect(page.text, 'no inline script for the policy to refuse').to.not.match(/<script>[^<]/);
  });
});
