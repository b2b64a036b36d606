import { expect } from 'chai';
import request from 'supertest';
import { describeApi } from '../../src/adapters/driving/http/api-document.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { application, as, definition, launchableItem, onlineItem } from './lifecycle-helpers.js';
import { reimbursement } from './application-helpers.js';

interface Operation {
  operationId: string;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content: Record<string, unknown> };
}
type Paths = Record<string, Record<string, Operation>>;

const NUL = '\u0000';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

/** JSON text nested `levels` deep around `leaf` (built as text: no recursion, no stack). */
const nestedJson = (levels: number, leaf = '1') => `${'['.repeat(levels)}${leaf}${']'.repeat(levels)}`;

/** Every route that reads path parameters, query parameters or a JSON body, from the OpenAPI document. */
function routesWithInput() {
  const paths = describeApi().paths as Paths;
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) => {
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
      const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
      const json = Boolean(op.requestBody?.content['application/json']);
      if (!pathParams.length && !queryParams.length && !json) return [];
      return [
        {
          method: method as 'get' | 'post' | 'put' | 'delete',
          path,
          op: op.operationId,
          pathParams,
          queryParams,
          json,
        },
      ];
    }),
  );
}

describe('text PostgreSQL cannot store, and deep nesting, are refused at the edge (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  /** Rows in every table of the hall's schema. */
  async function rowCounts(): Promise<Record<string, number>> {
    const tables = (await t.db.knex.raw(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
    )) as { rows: Array<{ table_name: string }> };
    const counts: Record<string, number> = {};
    for (const { table_name } of tables.rows) {
      const [row] = (await t.db.knex(table_name).count({ n: '*' })) as Array<{ n: string }>;
      counts[table_name] = Number(row!.n);
    }
    return counts;
  }

  const expectRefused = (
    res: request.Response,
    expected: Array<{ in: string; path: string; about: RegExp }>,
    label = '',
  ) => {
    expect(res.status, `${label} ${JSON.stringify(res.body)}`).to.equal(400);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    const errors = res.body.errors as Array<{ in: string; path: string; message: string }>;
    for (const e of expected) {
      const found = errors.find((x) => x.in === e.in && x.path === e.path);
      expect(found, `${label} ${e.in} ${e.path} in ${JSON.stringify(errors)}`).to.not.equal(undefined);
      expect(found!.message, label).to.match(e.about);
    }
  };

  it('every route with input refuses NUL and lone surrogates in its path, query and body, naming each field, and changes nothing', async () => {
    const routes = routesWithInput();
    expect(routes.map((r) => r.op)).to.include.members([
      'login',
      'applyOnboarding',
      'uploadAttachment',
      'defineProcess',
    ]);
    const token = await t.login('it-officer');
    const before = await rowCounts();
    for (const r of routes) {
      const url =
        r.path.replace(/\{\w+\}/g, '%00') +
        (r.queryParams.length ? `?${r.queryParams.map((q) => `${q}=%00`).join('&')}` : '');
      let req = request(t.app)[r.method](url).set('Authorization', `Bearer ${token}`);
      if (r.json) req = req.send({ probe: `a${NUL}`, nested: { high: `b${LONE_HIGH}`, list: [`${LONE_LOW}c`] } });
      const res = await req;
      expectRefused(
        res,
        [
          ...r.pathParams.map((p) => ({ in: 'path', path: `/${p}`, about: /NUL/ })),
          ...r.queryParams.map((q) => ({ in: 'query', path: `/${q}`, about: /NUL/ })),
          ...(r.json
            ? [
                { in: 'body', path: '/probe', about: /NUL/ },
                { in: 'body', path: '/nested/high', about: /lone surrogate/ },
                { in: 'body', path: '/nested/list/0', about: /lone surrogate/ },
              ]
            : []),
        ],
        `${r.method.toUpperCase()} ${r.path}`,
      );
    }
    expect(await rowCounts()).to.deep.equal(before);
  });

  it('POST /auth/login, unauthenticated, refuses a NUL or a lone surrogate in the user name (no 500)', async () => {
    for (const username of [`cw-admin${NUL}`, `cw-admin${LONE_HIGH}`, `${LONE_LOW}cw-admin`]) {
      const res = await request(t.app).post('/api/v1/auth/login').send({ username, password: 'secret' });
      expectRefused(res, [{ in: 'body', path: '/username', about: /NUL|lone surrogate/ }]);
    }
  });

  it('a well-formed request that only carries bad text is refused before it is stored: service item, definition, form', async () => {
    const admin = as(t, 'cw-admin');
    await t.login('cw-admin');
    const before = await rowCounts();
    expectRefused(await admin.post('/api/v1/service-items', { ...application, code: 'CW-NUL', name: `报销${NUL}` }), [
      { in: 'body', path: '/name', about: /NUL/ },
    ]);
    expectRefused(
      await admin.post('/api/v1/service-items', { ...application, code: 'CW-SUR', description: `x${LONE_HIGH}` }),
      [{ in: 'body', path: '/description', about: /lone surrogate/ }],
    );
    expect(await rowCounts()).to.deep.equal(before);

    const { itemId } = await launchableItem(t, 'CW-TXT');
    const def = definition();
    def.form.properties.purpose.title = `事由${LONE_LOW}`;
    expectRefused(await admin.put(`/api/v1/service-items/${itemId}/draft/definition`, def), [
      { in: 'body', path: '/form/properties/purpose/title', about: /lone surrogate/ },
    ]);

    const online = await onlineItem(t, 'CW-FRM', reimbursement('any'));
    const form = { amount: 12, purpose: `会议${NUL}` };
    expectRefused(await as(t, 'student-xx').post('/api/v1/applications', { itemId: online.itemId, form }), [
      { in: 'body', path: '/form/purpose', about: /NUL/ },
    ]);
  });

  it('query filters refuse NUL (audit entries, role assignments)', async () => {
    expectRefused(await as(t, 'auditor').get('/api/v1/audit-entries?entityType=service-item%00'), [
      { in: 'query', path: '/entityType', about: /NUL/ },
    ]);
    expectRefused(await as(t, 'it-officer').get('/api/v1/role-assignments?subject=T0101%00'), [
      { in: 'query', path: '/subject', about: /NUL/ },
    ]);
  });

  it('form data nested 2,000 levels deep is refused with its path and never stored, even in a draft', async () => {
    const online = await onlineItem(t, 'CW-DEEP', reimbursement('any'));
    // a draft is saved without checking its form against the schema: the edge alone stands in the way
    const body = `{"itemId":"${online.itemId}","submit":false,"form":{"amount":12,"purpose":"会议","invoice_no":${nestedJson(2000, '"x"')}}}`;
    await t.login('student-xx');
    const before = await rowCounts();
    const res = await request(t.app)
      .post('/api/v1/applications')
      .set('Authorization', `Bearer ${await t.login('student-xx')}`)
      .set('Content-Type', 'application/json')
      .send(body);
    expectRefused(res, [{ in: 'body', path: `/form/invoice_no${'/0'.repeat(62)}`, about: /nest more than 64 levels/ }]);
    expect(await rowCounts()).to.deep.equal(before);
  });

  it('a definition whose condition nests 5,000 levels deep is refused with its path, not a stack overflow', async () => {
    const { itemId } = await launchableItem(t, 'CW-COND');
    const def = definition();
    const text = JSON.stringify({ ...def, nodes: def.nodes.map((n, i) => (i === 2 ? { ...n, condition: '@@' } : n)) });
    const condition = `${'{"!":'.repeat(5000)}true${'}'.repeat(5000)}`;
    const res = await request(t.app)
      .put(`/api/v1/service-items/${itemId}/draft/definition`)
      .set('Authorization', `Bearer ${await t.login('cw-admin')}`)
      .set('Content-Type', 'application/json')
      .send(text.replace('"@@"', condition));
    expectRefused(res, [
      { in: 'body', path: `/nodes/2/condition${'/!'.repeat(61)}`, about: /nest more than 64 levels/ },
    ]);
  });
});
