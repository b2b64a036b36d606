import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TEST_METRICS_TOKEN, type TestApp } from '../fixtures/test-app.js';
import { act, apply } from './application-helpers.js';
import { as, onlineItem } from './lifecycle-helpers.js';

/** A two-step item whose first step is T0302's (cw-handler) by name: no claim needed. */
const named = {
  form: { type: 'object', properties: { amount: { type: 'number' } } },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    {
      key: 'check',
      kind: 'review',
      name: '审核',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 2 },
    },
    {
      key: 'pay',
      kind: 'complete',
      name: '办结',
      handlers: { type: 'role', role: 'handler', unit: 'finance' },
      timeLimit: { workingDays: 1 },
    },
  ],
};

describe('the pool under load (e2e)', function () {
  this.timeout(120_000);

  describe('4 × DB_POOL_MAX task actions at once', () => {
    const POOL = 10;
    let t: TestApp;
    let itemId: string;
    before(async () => {
      t = await createTestApp(undefined, (c) => ({ ...c, dbPoolMax: POOL }));
      ({ itemId } = await onlineItem(t, 'CW-LOAD', named));
      await t.login('cw-handler');
    });
    after(async () => {
      await t.close();
    });

    it('on as many applications: every one succeeds', async () => {
      const apps = [];
      for (let i = 0; i < 4 * POOL; i++) apps.push(await apply(t, itemId, 'student-xx', { amount: i + 1 }));
      const results = await Promise.all(
        apps.map((a) => act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve', { comment: '同意' })),
      );
      expect(
        results.map((r) => r.status),
        JSON.stringify(results.find((r) => r.status !== 200)?.body),
      ).to.deep.equal(apps.map(() => 200));
      expect(results.every((r) => r.body.activeNode === 'pay')).to.equal(true);
      const passed = await t.db
        .knex('application_history')
        .whereIn(
          'application_id',
          apps.map((a) => a.id),
        )
        .where({ action: 'node-passed', node: 'check' })
        .count({ n: '*' });
      expect(Number(passed[0]!.n)).to.equal(4 * POOL);
    });

    it('on one task: exactly one succeeds, every other is told it was handled (409), none fails', async () => {
      const a = await apply(t, itemId, 'student-xx', { amount: 7 });
      const taskId = a.currentTasks[0]!.id;
      const results = await Promise.all(
        Array.from({ length: 4 * POOL }, () => act(t, 'cw-handler', taskId, 'approve')),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).to.have.length(1);
      expect(statuses.filter((s) => s === 409)).to.have.length(4 * POOL - 1);
      expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.code))).to.deep.equal(
        new Set(['TASK.ALREADY_HANDLED']),
      );
      const approvals = await t.db
        .knex('application_history')
        .where({ application_id: a.id, action: 'approved' })
        .count({ n: '*' });
      expect(Number(approvals[0]!.n)).to.equal(1);
    });
  });

  describe('a pool that stays exhausted', () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(undefined, (c) => ({ ...c, dbPoolMax: 2, dbAcquireTimeoutMs: 300 }));
      await t.login('cw-handler');
    });
    after(async () => {
      await t.close();
    });

    it('answers 503 DATABASE.BUSY with Retry-After after the bounded wait, and the wait shows in the metrics', async () => {
      const client = t.container.knex.client as {
        acquireConnection(): Promise<unknown>;
        releaseConnection(c: unknown): Promise<void>;
      };
      const held = [await client.acquireConnection(), await client.acquireConnection()];
      try {
        const res = await as(t, 'cw-handler').get('/api/v1/me/tasks');
        expect(res.status).to.equal(503);
        expect(res.headers['content-type']).to.match(/application\/problem\+json/);
        expect(res.headers['retry-after']).to.equal('1');
        expect(res.body).to.include({ status: 503, code: 'DATABASE.BUSY' });
        expect(JSON.stringify(res.body)).to.not.match(/KnexTimeoutError|at .*\.js/);
      } finally {
        for (const c of held) await client.releaseConnection(c);
      }
      expect(
        (await as(t, 'cw-handler').get('/api/v1/me/tasks')).status,
        'served again once connections are free',
      ).to.equal(200);
      const metrics = (await request(t.app).get('/metrics').set('Authorization', `Bearer ${TEST_METRICS_TOKEN}`)).text;
      expect(metrics).to.match(/hall_db_pool_wait_seconds_count\{outcome="timeout"\} [1-9]/);
      expect(metrics).to.match(/hall_db_pool_connections\{state="pending"\} 0/);
    });
  });
});
