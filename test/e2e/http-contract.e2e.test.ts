import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { createTestApp, TEST_METRICS_TOKEN, type TestApp } from '../fixtures/test-app.js';
import { describeApi } from '../../src/adapters/driving/http/api-document.js';
import { ok } from '../../src/domain/shared/result.js';
import { application, as } from './lifecycle-helpers.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route express serves, as 'METHOD /path/{param}'. */
function servedRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  return stack
    .filter((l) => l.route)
    .flatMap((l) =>
      Object.keys(l.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`),
    );
}

describe('HTTP contract (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('the OpenAPI 3.1 document describes every route that is served', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).to.equal('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)),
    );
    const served = servedRoutes(t.app).filter((r) => r !== 'GET /api/v1/openapi.json');
    expect(served.length).to.be.greaterThan(10);
    expect(
      served.filter((r) => !documented.has(r)),
      'served but undocumented',
    ).to.deep.equal([]);
    expect(
      [...documented].filter((r) => !served.includes(r)),
      'documented but not served',
    ).to.deep.equal([]);
  });

  it('serves the very document the typed client is generated from', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body as unknown;
    expect(doc).to.deep.equal(describeApi());
  });

  it('every response of the test app is checked against the document: a deliberately wrong answer fails the request', async () => {
    const inbox = t.container.useCases.inbox;
    const count = inbox.count;
    inbox.count = async () => ok({ assigned: 1, claimable: 1, total: 'two' as unknown as number });
    try {
      const res = await as(t, 'cw-handler')
        .get('/api/v1/me/todo-count')
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(res?.message).to.match(
        /^response contract: GET \/api\/v1\/me\/todo-count \(todoCount\) answered 200 with a body that does not match its schema:\n\s+\/total must be integer/,
      );
    } finally {
      inbox.count = count;
    }
    expect((await as(t, 'cw-handler').get('/api/v1/me/todo-count')).status).to.equal(200);
  });

  it('serves the Swagger UI', async () => {
    const res = await request(t.app).get('/api/docs/');
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/swagger-ui/i);
  });

  it('health and readiness', async () => {
    expect((await request(t.app).get('/healthz')).body).to.deep.equal({ status: 'ok' });
    expect((await request(t.app).get('/readyz')).body).to.deep.equal({
      status: 'ready',
      dependencies: [{ name: 'database', status: 'up' }],
      plugins: [],
    });
  });

  it('an unknown route is a 404 problem', async () => {
    const res = await request(t.app).get('/api/v1/nothing-here');
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body).to.include({ status: 404, code: 'HTTP.NOT_FOUND', title: 'Not Found' });
    expect(res.body.requestId).to.equal(res.headers['x-request-id']);
  });

  it('malformed JSON is a 400 problem without a stack trace', async () => {
    const token = await t.login('cw-admin');
    const res = await request(t.app)
      .post('/api/v1/service-items')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"code": "CW-X",');
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('HTTP.MALFORMED_JSON');
    expect(JSON.stringify(res.body)).to.not.match(/SyntaxError|at JSON\.parse|node_modules/);
  });

  it('a validation error lists every offending field and changes nothing', async () => {
    const before = Number((await t.db.knex('service_items').count({ n: '*' }))[0]!.n);
    const res = await as(t, 'cw-admin').post('/api/v1/service-items', {
      code: 'lower-case',
      name: '',
      involvedUnits: 'finance',
      colour: 'red',
    });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('HTTP.INVALID_REQUEST');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).to.deep.equal([
      '/code',
      '/colour',
      '/description',
      '/involvedUnits',
      '/name',
      '/offlineProcedure',
      '/owningUnit',
    ]);
    expect(Number((await t.db.knex('service_items').count({ n: '*' }))[0]!.n)).to.equal(before);
  });

  it('domain validation of an application names every field too', async () => {
    const res = await as(t, 'cw-admin').post('/api/v1/service-items', {
      ...application,
      owningUnit: 'finance',
      involvedUnits: ['nowhere', 'finance', 'finance'],
    });
    expect(res.status).to.equal(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([
      '/involvedUnits/0',
      '/involvedUnits/2',
    ]);
  });

  it('signing in: wrong password and unknown user look the same; no token, forged token and logged-out token are 401', async () => {
    const wrong = await request(t.app).post('/api/v1/auth/login').send({ username: 'cw-admin', password: 'nope' });
    const unknown = await request(t.app).post('/api/v1/auth/login').send({ username: 'nobody', password: 'nope' });
    expect([wrong.status, unknown.status]).to.deep.equal([401, 401]);
    expect(wrong.body.code).to.equal(unknown.body.code);
    expect((await request(t.app).get('/api/v1/catalogue')).status).to.equal(401);
    const token = await t.login('jw-admin');
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    expect((await request(t.app).get('/api/v1/catalogue').set('Authorization', `Bearer ${forged}`)).status).to.equal(
      401,
    );
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(me.body).to.include({ id: 'T0101', unit: 'academic-affairs' });
    expect(me.body.roles).to.deep.equal([{ role: 'unit-service-admin', unit: 'academic-affairs' }]);
    expect((await request(t.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).to.equal(
      204,
    );
    expect((await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status).to.equal(401);
  });

  it('a disabled person cannot sign in', async () => {
    await t.db.knex('people').where({ id: 'T0302' }).update({ status: 'left' });
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: 'cw-handler', password: 'hall-demo-2026' });
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH.ACCOUNT_DISABLED');
  });
});

describe('Prometheus metrics (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('counts requests by route template and problems by code', async () => {
    await request(t.app)
      .get('/api/v1/service-items/00000000-0000-4000-8000-000000000000')
      .set('Authorization', `Bearer ${await t.login('auditor')}`);
    await request(t.app).get('/api/v1/nothing');
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TEST_METRICS_TOKEN}`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    expect(res.text).to.match(
      /hall_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/service-items\/\{itemId\}",status="404"\} 1/,
    );
    expect(res.text).to.match(/hall_http_problems_total\{code="SERVICE_ITEM.NOT_FOUND"\} 1/);
    expect(res.text).to.match(/hall_http_problems_total\{code="HTTP.NOT_FOUND"\} 1/);
    expect(res.text).to.match(/hall_process_cpu_seconds_total/);
  });
});
