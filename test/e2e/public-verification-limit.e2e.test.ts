import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';

/**
 * A self-service terminal (自助终端) verifies printouts without anyone signing in (Art. 13); what
 * anyone may call is limited per client address: past PUBLIC_CALLS_PER_MINUTE, 429 with
 * Retry-After, and a forged X-Forwarded-For gives no fresh allowance (no trusted proxy here).
 */
describe('public printout verification is limited per client address (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(undefined, (c) => ({ ...c, publicCallsPerMinute: 3 }));
  });
  after(async () => {
    await t.close();
  });

  it('answers the limit, then 429 with Retry-After, whatever X-Forwarded-For says; signed-in routes are not limited', async () => {
    const verify = (forwarded?: string) => {
      const r = request(t.app).get('/api/v1/verify/ABCD-EFGH-JKLM');
      return forwarded ? r.set('X-Forwarded-For', forwarded) : r;
    };
    expect([(await verify()).status, (await verify()).status, (await verify()).status]).to.deep.equal([404, 404, 404]);
    const refused = await verify();
    expect(refused.status).to.equal(429);
    expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(refused.body.code).to.equal('HTTP.TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 60);
    for (const forged of ['203.0.113.7', '198.51.100.1, 203.0.113.9'])
      expect((await verify(forged)).status, forged).to.equal(429);
    expect((await as(t, 'student-xx').get('/api/v1/catalogue')).status).to.equal(200);
  });
});
