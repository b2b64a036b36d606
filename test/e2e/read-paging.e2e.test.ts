import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, goodForm } from './application-helpers.js';

/** A pool review by `unit`'s handlers, then payment by 孙财务 T0302. */
const pooled = (unit: string) => ({
  form: {
    type: 'object',
    required: ['amount', 'purpose'],
    properties: { amount: { type: 'number' }, purpose: { type: 'string' } },
  },
  nodes: [
    { key: 'apply', kind: 'start', name: '提交申请' },
    {
      key: 'check',
      kind: 'review',
      name: '财务审核',
      handlers: { type: 'role', role: 'handler', unit },
      timeLimit: { workingDays: 2 },
    },
    {
      key: 'pay',
      kind: 'complete',
      name: '办结',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { hours: 8 },
    },
  ],
});

/** Follows nextCursor from the first page to the last, `limit` at a time. */
async function everyPage<T>(t: TestApp, who: string, path: string, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res = await as(t, who).get(
      `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.items.length).to.be.at.most(limit);
    items.push(...(res.body.items as T[]));
    cursor = res.body.nextCursor as string | null;
    if (!cursor) return items;
  }
  throw new Error('the cursor never ran out');
}

describe('keyset paging of the inbox, my applications and the audit list (e2e)', () => {
  let t: TestApp;
  let finance: string;
  let logistics: string;
  before(async () => {
    t = await createTestApp();
    finance = (await onlineItem(t, 'CW-PG1', pooled('finance'))).itemId;
    logistics = (await onlineItem(t, 'CW-PG2', pooled('logistics'))).itemId;
    const granted = await as(t, 'it-officer').post('/api/v1/role-assignments', {
      subject: 'T0302',
      role: 'handler',
      unit: 'logistics',
    });
    expect(granted.status, JSON.stringify(granted.body)).to.equal(201);
  });
  after(async () => {
    await t.close();
  });

  it('the inbox of a person in two pools gives every task once, oldest first, across the pools and their own, ties broken by id', async () => {
    const tasks: string[] = [];
    for (let i = 0; i < 5; i++) {
      for (const item of [finance, logistics])
        tasks.push((await apply(t, item, 'student-xx', goodForm)).currentTasks[0]!.id);
    }
    for (const [who, task] of [
      ['cw-handler', tasks[0]],
      ['cw-handler', tasks[4]],
      ['cw-handler', tasks[5]],
      ['hq-handler', tasks[3]],
    ] as const) {
      expect((await act(t, who, task!, 'claim')).status).to.equal(200);
    }
    // the same instant in the person's branch and in both pools
    await t.db
      .knex('tasks')
      .whereIn('id', [tasks[1]!, tasks[2]!, tasks[4]!, tasks[7]!])
      .update({ created_at: new Date('2025-03-01T08:00:00.000Z') });
    const expected = (
      await t.db
        .knex('tasks')
        .where({ status: 'open' })
        .where((w) =>
          w
            .where('assignee', 'T0302')
            .orWhere((p) =>
              p
                .whereNull('assignee')
                .where('candidate_role', 'handler')
                .whereIn('candidate_unit', ['finance', 'logistics']),
            ),
        )
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .select('id')
    ).map((r: { id: string }) => r.id);
    expect(expected, 'the claim by someone else leaves the pool').to.have.length(9);
    expect(expected).to.not.include(tasks[3]);

    for (const limit of [1, 2, 4]) {
      const seen = (await everyPage<{ taskId: string }>(t, 'cw-handler', '/api/v1/me/tasks', limit)).map(
        (x) => x.taskId,
      );
      expect(seen, `pages of ${limit}`).to.deep.equal(expected);
    }
    const count = (await as(t, 'cw-handler').get('/api/v1/me/todo-count')).body;
    expect(count).to.deep.equal({ assigned: 3, claimable: 6, total: 9 });
    expect((await as(t, 'cw-handler').get('/api/v1/me/tasks?cursor=not-a-cursor')).body.code).to.equal(
      'PAGINATION.BAD_CURSOR',
    );
  });

  it("my applications are summaries, newest first, each once across pages, ties broken by id; nobody else's", async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await apply(t, i % 2 ? logistics : finance, 'student-hk', goodForm)).id);
    await t.db
      .knex('applications')
      .whereIn('id', [mine[1]!, mine[2]!, mine[3]!])
      .update({ created_at: new Date('2025-03-01T09:00:00.000Z') });
    const expected = (
      await t.db
        .knex('applications')
        .where({ applicant_id: '2024120202' })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .select('id')
    ).map((r: { id: string }) => r.id);
    expect([...expected].sort()).to.deep.equal([...mine].sort());
    for (const limit of [1, 2, 3]) {
      const seen = (await everyPage<{ id: string }>(t, 'student-hk', '/api/v1/applications', limit)).map((x) => x.id);
      expect(seen, `pages of ${limit}`).to.deep.equal(expected);
    }

    const first = (await as(t, 'student-hk').get('/api/v1/applications?limit=1')).body.items[0];
    const row = await t.db.knex('applications').where({ id: first.id }).first();
    expect(first).to.deep.equal({
      id: row.id,
      caseNumber: row.case_number,
      serviceItem: { id: row.item_id, code: row.item_id === finance ? 'CW-PG1' : 'CW-PG2', name: '差旅费报销' },
      state: 'in_progress',
      activeNode: { key: 'check', name: '财务审核' },
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    });
    const xx = (await everyPage<{ id: string }>(t, 'student-xx', '/api/v1/applications', 50)).map((x) => x.id);
    expect(xx).to.have.length(10);
    expect(xx.filter((id) => mine.includes(id))).to.deep.equal([]);
    expect((await as(t, 'student-hk').get('/api/v1/applications?cursor=bm9wZQ')).body.code).to.equal(
      'PAGINATION.BAD_CURSOR',
    );
  });

  it('an ended application shows its state and no active step', async () => {
    const a = await apply(t, finance, 'student-hk', goodForm);
    expect((await as(t, 'student-hk').post(`/api/v1/applications/${a.id}/withdrawal`)).status).to.equal(200);
    const first = (await as(t, 'student-hk').get('/api/v1/applications?limit=1')).body.items[0];
    expect(first).to.include({ id: a.id, state: 'withdrawn', activeNode: null });
  });

  it('the audit list pages newest first, each entry once, within its filters (entity, actor, action, time range)', async () => {
    await t.login('auditor'); // its login is audited: before the expected entries are read
    const all = async (q: (b: ReturnType<TestApp['db']['knex']>) => unknown) => {
      const b = t.db.knex('audit_log');
      q(b);
      return (await b.orderBy('pos', 'desc').select('id')).map((r: { id: string }) => r.id);
    };
    const application = (await t.db.knex('audit_log').where({ entity_type: 'application' }).first('entity_id'))
      .entity_id as string;
    const times = (await t.db.knex('audit_log').orderBy('occurred_at').select('occurred_at')).map(
      (r: { occurred_at: Date }) => r.occurred_at,
    );
    const from = times[Math.floor(times.length / 3)]!;
    const to = times[Math.floor((times.length * 2) / 3)]!;
    const actor = 'T0302';
    for (const [query, where] of [
      ['', () => undefined],
      ['?entityType=application', (b) => b.where({ entity_type: 'application' })],
      [
        `?entityType=application&entityId=${application}`,
        (b) => b.where({ entity_type: 'application', entity_id: application }),
      ],
      [`?entityId=${application}`, (b) => b.where({ entity_id: application })],
      [`?actorId=${actor}`, (b) => b.where({ actor_id: actor })],
      ['?action=task.claimed', (b) => b.where({ action: 'task.claimed' })],
      [
        `?from=${from.toISOString()}&to=${to.toISOString()}`,
        (b) => b.where('occurred_at', '>=', from).where('occurred_at', '<', to),
      ],
    ] as Array<[string, (b: ReturnType<TestApp['db']['knex']>) => unknown]>) {
      const expected = await all(where);
      expect(expected.length, query).to.be.greaterThan(1);
      const seen = (
        await everyPage<{ id: string }>(
          t,
          'auditor',
          `/api/v1/audit-entries${query}`,
          Math.max(1, Math.ceil(expected.length / 7)),
        )
      ).map((e) => e.id);
      expect(seen, query).to.deep.equal(expected);
    }
  });

  it('a cursor that was altered, or is used with other filters, is a 400 problem naming cursor', async () => {
    const first = await as(t, 'auditor').get('/api/v1/audit-entries?entityType=application&limit=2');
    const cursor = first.body.nextCursor as string;
    expect(cursor).to.be.a('string');
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const forged = Buffer.from(decoded.replace(/"k":"(\d)/, (_, d: string) => `"k":"${(Number(d) + 1) % 10}`)).toString(
      'base64url',
    );
    for (const bad of [
      'bm9wZQ',
      `${cursor.slice(0, -2)}${cursor.slice(-2) === 'AA' ? 'BB' : 'AA'}`,
      forged.slice(0, -1) + (forged.endsWith('x') ? 'y' : 'x'),
    ]) {
      const res = await as(t, 'auditor').get(`/api/v1/audit-entries?entityType=application&limit=2&cursor=${bad}`);
      expect(res.status, bad).to.equal(400);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.code).to.equal('PAGINATION.BAD_CURSOR');
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.include('/cursor');
    }
    // a good cursor, but issued for another list
    const other = await as(t, 'auditor').get(`/api/v1/audit-entries?entityType=person&limit=2&cursor=${cursor}`);
    expect(other.status).to.equal(400);
    expect(other.body.code).to.equal('PAGINATION.BAD_CURSOR');
    const bad = await as(t, 'auditor').get('/api/v1/audit-entries?from=yesterday');
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.errors)).to.include('from');
  });
});
