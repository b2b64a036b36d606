import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, goodForm, reimbursement, taskOf, type ProgressBody } from './application-helpers.js';

describe('applying and processing (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-BX', reimbursement('all'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  const get = async (who: string, id: string) => await as(t, who).get(`/api/v1/applications/${id}`);

  it('an invalid form is a 400 naming every field, and nothing is stored', async () => {
    const res = await as(t, 'student-xx').post('/api/v1/applications', { itemId, form: { amount: -3, colour: 'red' } });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('APPLICATION.INVALID_FORM');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).to.deep.equal([
      '/form/amount',
      '/form/colour',
      '/form/purpose',
    ]);
    expect(Number((await t.db.knex('applications').count({ n: '*' }))[0]!.n)).to.equal(0);
  });

  it("submitting gives a case number and offers the first step to the finance handlers' pool", async () => {
    const a = await apply(t, itemId);
    expect(a.state).to.equal('in_progress');
    expect(a.caseNumber).to.match(/^\d{4}-CW-\d{6}$/);
    expect(a.activeNode).to.equal('check');
    expect(a.currentTasks).to.have.length(1);
    expect(a.currentTasks[0]).to.include({ node: 'check', assignee: null });
    const second = await apply(t, itemId);
    expect(Number(second.caseNumber.slice(-6))).to.equal(Number(a.caseNumber.slice(-6)) + 1);
  });

  it('the inbox and to-do count show claimable work to the pool and nothing to others', async () => {
    const count = await as(t, 'cw-handler').get('/api/v1/me/todo-count');
    expect(count.body.claimable).to.be.greaterThan(0);
    const inbox = await as(t, 'cw-handler').get('/api/v1/me/tasks?limit=1');
    expect(inbox.body.items).to.have.length(1);
    expect(inbox.body.items[0]).to.include({ nodeKey: 'check', itemName: '差旅费报销' });
    const next = await as(t, 'cw-handler').get(`/api/v1/me/tasks?limit=1&cursor=${inbox.body.nextCursor}`);
    expect(next.body.items[0].taskId).to.not.equal(inbox.body.items[0].taskId);
    expect((await as(t, 'student-hk').get('/api/v1/me/todo-count')).body).to.deep.equal({
      assigned: 0,
      claimable: 0,
      total: 0,
    });
  });

  it('runs the whole process: claim, pool review, countersign by both, completion', async () => {
    let a = await apply(t, itemId);
    const check = a.currentTasks[0]!.id;
    expect((await act(t, 'student-xx', check, 'approve')).status).to.equal(403);
    expect((await act(t, 'jw-admin', check, 'claim')).status).to.equal(403);
    expect((await act(t, 'cw-handler', check, 'approve')).body.code).to.equal('TASK.NOT_YOURS');
    expect((await act(t, 'cw-handler', check, 'claim')).status).to.equal(200);
    expect((await act(t, 'cw-handler', check, 'claim')).status).to.equal(409);
    a = (await act(t, 'cw-handler', check, 'approve', { comment: '票据齐全' })).body;
    expect((await act(t, 'cw-handler', check, 'approve')).body.code).to.equal('TASK.ALREADY_HANDLED');
    // the task is handled: anyone it never belonged to is refused as before (403), told nothing of its state
    for (const [who, action, code] of [
      ['jw-admin', 'approve', 'TASK.NOT_YOURS'],
      ['jw-admin', 'claim', 'TASK.NOT_CANDIDATE'],
      ['student-xx', 'approve', 'TASK.NOT_YOURS'],
    ] as const) {
      const r = await act(t, who, check, action);
      expect([r.status, r.body.code], `${who} ${action}`).to.deep.equal([403, code]);
    }
    expect(a.activeNode).to.equal('sign');
    expect(a.currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0101', 'T0102']);
    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve')).body;
    expect(a.activeNode, 'countersign waits for both').to.equal('sign');
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/withdrawal`)).status).to.equal(409);
    a = (await act(t, 'jw-handler', taskOf(a, 'T0102'), 'approve')).body;
    expect(a.activeNode).to.equal('pay');
    a = (await act(t, 'cw-handler', taskOf(a, 'T0302'), 'approve')).body;
    expect(a.state).to.equal('completed');
    const seen = (await get('student-xx', a.id)).body as ProgressBody;
    expect(seen.history.map((h) => h.action)).to.include.members([
      'submitted',
      'claimed',
      'approved',
      'node-passed',
      'completed',
    ]);
    expect(seen.history.filter((h) => h.action === 'approved').map((h) => [h.node, h.actor])).to.deep.equal([
      ['check', 'T0302'],
      ['sign', 'T0101'],
      ['sign', 'T0102'],
      ['pay', 'T0302'],
    ]);
  });

  it("only the applicant, the handlers involved and the item's admins see an application", async () => {
    const a = await apply(t, itemId);
    expect((await get('student-xx', a.id)).status).to.equal(200);
    expect((await get('cw-handler', a.id)).status, 'pool member of an open task').to.equal(200);
    expect((await get('cw-admin', a.id)).status, 'owning unit admin').to.equal(200);
    expect((await get('jw-admin', a.id)).status, 'involved unit admin').to.equal(200);
    expect((await get('student-hk', a.id)).status).to.equal(403);
    expect((await get('xg-admin', a.id)).status, "another unit's admin").to.equal(403);
    expect((await get('xx-counselor', a.id)).status).to.equal(403);
    const mine = await as(t, 'student-hk').get('/api/v1/applications');
    expect(mine.body.items).to.deep.equal([]);
  });

  it('withdraw before anyone acted; cancel with a reason later', async () => {
    const a = await apply(t, itemId);
    expect((await as(t, 'student-hk').post(`/api/v1/applications/${a.id}/withdrawal`)).status).to.equal(403);
    const w = await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/withdrawal`);
    expect(w.body.state).to.equal('withdrawn');
    expect(w.body.currentTasks).to.deep.equal([]);
    const b = await apply(t, itemId);
    await act(t, 'cw-handler', b.currentTasks[0]!.id, 'claim');
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${b.id}/cancellation`, {})).status).to.equal(400);
    const c = await as(t, 'student-xx').post(`/api/v1/applications/${b.id}/cancellation`, { reason: '行程取消' });
    expect(c.body.state).to.equal('cancelled');
    expect(
      await t.db
        .knex('tasks')
        .where({ application_id: b.id })
        .whereIn('status', ['open', 'waiting'])
        .count({ n: '*' })
        .then((r) => Number(r[0]!.n)),
    ).to.equal(0);
  });

  it('reject ends the application with the reason', async () => {
    const a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    const r = await act(t, 'cw-handler', a.currentTasks[0]!.id, 'reject', { reason: '发票不合规' });
    expect(r.body.state).to.equal('rejected');
    expect(r.body.recorded.at(-1)).to.include({ action: 'application-rejected', comment: '发票不合规' });
  });

  it('return: to a node never passed is 400; into a passed node closes every open sibling of the countersign', async () => {
    let a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve')).body;
    const bad = await act(t, 'jw-handler', taskOf(a, 'T0102'), 'return', { target: 'pay', comment: 'x' });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].path).to.equal('/target');
    a = (await act(t, 'jw-handler', taskOf(a, 'T0102'), 'return', { target: 'check', comment: '金额需复核' })).body;
    expect(a.activeNode).to.equal('check');
    expect(a.currentTasks).to.have.length(1);
    const live = await t.db
      .knex('tasks')
      .where({ application_id: a.id })
      .whereIn('status', ['open', 'waiting'])
      .select('node_key');
    expect(live.map((r: { node_key: string }) => r.node_key)).to.deep.equal(['check']);
  });

  it('return to the applicant: edit and resubmit keeps the case number and starts again', async () => {
    let a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'return', { target: 'applicant', comment: '请补充发票号' }))
      .body;
    expect(a.state).to.equal('returned');
    const bad = await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/submission`, { form: { amount: 'lots' } });
    expect(bad.status).to.equal(400);
    const again = await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/submission`, {
      form: { ...goodForm, invoice_no: 'FP-001' },
    });
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ state: 'in_progress', activeNode: 'check', caseNumber: a.caseNumber });
  });

  it('the history pages oldest first with a cursor, whole and without gaps; the applicant never sees a private note', async () => {
    const a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    await as(t, 'cw-handler').post(`/api/v1/applications/${a.id}/comments`, { text: '内部备注', private: true });
    for (const text of ['一', '二', '三'])
      await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/comments`, { text });
    const pages = async (who: string) => {
      const seen: Array<{ seq: number; action: string; private?: boolean }> = [];
      let cursor: string | null = null;
      do {
        const res = await as(t, who).get(
          `/api/v1/applications/${a.id}/history?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).to.equal(200);
        expect(res.body.items.length).to.be.at.most(2);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    const handler = await pages('cw-handler');
    expect(handler.map((h) => h.seq)).to.deep.equal(handler.map((_h, i) => i + 1));
    expect(handler.map((h) => h.action).slice(-5)).to.deep.equal([
      'claimed',
      'commented',
      'commented',
      'commented',
      'commented',
    ]);
    expect(handler.filter((h) => h.private)).to.have.length(1);
    const applicant = await pages('student-xx');
    expect(applicant.map((h) => h.seq)).to.deep.equal(handler.filter((h) => !h.private).map((h) => h.seq));
    expect((await get('student-xx', a.id)).body.history).to.deep.equal(applicant);
    const bad = await as(t, 'student-xx').get(`/api/v1/applications/${a.id}/history?cursor=bm90LWEtY3Vyc29y`);
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0]).to.include({ path: '/cursor' });
    expect(
      (await as(t, 'student-hk').get(`/api/v1/applications/${a.id}/history`)).status,
      'another applicant',
    ).to.equal(403);
  });

  it('drafts are saved and submitted later', async () => {
    const d = await as(t, 'student-xx').post('/api/v1/applications', { itemId, form: { amount: 10 }, submit: false });
    expect(d.status).to.equal(201);
    expect(d.body).to.include({ state: 'draft', caseNumber: null });
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${d.body.id}/submission`)).status).to.equal(400);
    const s = await as(t, 'student-xx').post(`/api/v1/applications/${d.body.id}/submission`, { form: goodForm });
    expect(s.body.state).to.equal('in_progress');
  });
});

describe('Idempotency-Key on submission (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-IDEM', reimbursement('any'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  const post = async (key: string, body: unknown) =>
    request(t.app)
      .post('/api/v1/applications')
      .set('Authorization', `Bearer ${await t.login('student-xx')}`)
      .set('Idempotency-Key', key)
      .send(body as object);
  const count = async () => Number((await t.db.knex('applications').count({ n: '*' }))[0]!.n);

  it('same key and body: the same application, the response replayed', async () => {
    const first = await post('k-1', { itemId, form: goodForm });
    const again = await post('k-1', { itemId, form: goodForm });
    expect(first.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.body.id).to.equal(first.body.id);
    expect(await count()).to.equal(1);
  });

  it('same key, different body: 422', async () => {
    const res = await post('k-1', { itemId, form: { ...goodForm, amount: 1 } });
    expect(res.status).to.equal(422);
    expect(res.body.code).to.equal('IDEMPOTENCY.KEY_REUSED');
  });

  it('concurrent duplicates make one application', async () => {
    const before = await count();
    const results = await Promise.all([1, 2, 3, 4].map(() => post('k-2', { itemId, form: goodForm })));
    expect(results.map((r) => r.status)).to.deep.equal([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).to.equal(1);
    expect(await count()).to.equal(before + 1);
  });

  it('a key left claimed by a request that died (past its lease) is taken over, not "in progress" for ever', async () => {
    // the placeholder a request leaves when the database goes away before it can give its key back
    const claimed = await t.db.knex('idempotency_keys').where({ key: 'k-1' }).first();
    await t.db.knex('idempotency_keys').insert({
      ...claimed,
      key: 'k-dead',
      status: 0,
      body: 'null',
      created_at: new Date(Date.now() - 120_000),
    });
    const before = await count();
    const res = await post('k-dead', { itemId, form: goodForm });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(await count()).to.equal(before + 1);
    expect((await post('k-dead', { itemId, form: goodForm })).headers['idempotent-replayed']).to.equal('true');
  });

  it('a refused request releases its key so a corrected retry can use it', async () => {
    expect((await post('k-3', { itemId, form: { amount: -1 } })).status).to.equal(400);
    const retry = await post('k-3', { itemId, form: goodForm });
    expect(retry.status).to.equal(201);
    expect(retry.headers['idempotent-replayed']).to.equal(undefined);
  });
});
