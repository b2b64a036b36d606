import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TEST_METRICS_TOKEN, type TestApp } from '../fixtures/test-app.js';

describe('who may scrape /metrics (e2e)', () => {
  describe('with METRICS_TOKEN', () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp();
    });
    after(async () => {
      await t.close();
    });

    it('answers 401 problem+json without the bearer token, or with another, and the metrics to its bearer', async () => {
      for (const authorization of [
        undefined,
        'Bearer wrong-token',
        `Basic ${TEST_METRICS_TOKEN}`,
        TEST_METRICS_TOKEN,
      ]) {
        const req = request(t.app).get('/metrics');
        const res = await (authorization ? req.set('Authorization', authorization) : req);
        expect(res.status, String(authorization)).to.equal(401);
        expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(res.headers['www-authenticate']).to.equal('Bearer realm="metrics"');
        expect(res.body.code).to.equal('METRICS.UNAUTHORIZED');
        expect(res.text).to.not.match(/hall_/);
      }
      const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TEST_METRICS_TOKEN}`);
      expect(res.status).to.equal(200);
      expect(res.headers['www-authenticate']).to.equal(undefined);
      expect(res.text).to.match(/hall_http_request_duration_seconds/);
    });
  });

  describe('without METRICS_TOKEN', () => {
    it('in production (DATABASE_URL or NODE_ENV=production) nobody may scrape: 401 METRICS.NOT_CONFIGURED', async () => {
      const t = await createTestApp(undefined, (c) => ({ ...c, metrics: { token: undefined, open: false } }));
      try {
        const res = await request(t.app).get('/metrics').set('Authorization', 'Bearer anything-at-all');
        expect(res.status).to.equal(401);
        expect(res.body.code).to.equal('METRICS.NOT_CONFIGURED');
      } finally {
        await t.close();
      }
    });

    it('otherwise (the embedded demo) the endpoint is open', async () => {
      const t = await createTestApp(undefined, (c) => ({ ...c, metrics: { token: undefined, open: true } }));
      try {
        expect((await request(t.app).get('/metrics')).status).to.equal(200);
      } finally {
        await t.close();
      }
    });
  });
});
