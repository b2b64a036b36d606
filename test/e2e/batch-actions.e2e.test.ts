import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, progress, reimbursement, taskOf, type AppBody } from './application-helpers.js';

type BatchResult =
  | { taskId: string; ok: true; applicationId: string; state: string }
  | { taskId: string; ok: false; problem: { status: number; code: string; detail: string } };

describe('batch task actions: 批量审批 and 批量认领 (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-BATCH', reimbursement('all'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  const batch = (who: string, body: unknown) => as(t, who).post('/api/v1/tasks/batch', body);
  /** An application whose finance check cw-handler has claimed: its task id. */
  const claimed = async (): Promise<{ app: AppBody; taskId: string }> => {
    const app = await apply(t, itemId);
    const taskId = app.currentTasks[0]!.id;
    expect((await act(t, 'cw-handler', taskId, 'claim')).status).to.equal(200);
    return { app, taskId };
  };
  const auditActions = async (applicationId: string) =>
    (
      (await t.db
        .knex('audit_log')
        .where({ entity_type: 'application', entity_id: applicationId })
        .select('action')) as Array<{ action: string }>
    ).map((r) => r.action);
  const events = async (applicationId: string, topic: string) =>
    (await t.db.knex('outbox').where({ aggregate_id: applicationId, topic }).count({ n: '*' }))[0]!.n;

  it("approves the actor's tasks, each on its own, and reports the one not theirs (403) and the one already handled (409) in place", async () => {
    const one = await claimed();
    const two = await claimed();
    const handled = await claimed();
    const afterCheck = (await act(t, 'cw-handler', handled.taskId, 'approve')).body as AppBody;
    const notMine = taskOf(afterCheck, 'T0101', 'sign');

    const res = await batch('cw-handler', {
      action: 'approve',
      taskIds: [one.taskId, notMine, handled.taskId, two.taskId],
      comment: '批量同意',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const results = res.body.results as BatchResult[];
    expect(results.map((r) => r.taskId)).to.deep.equal([one.taskId, notMine, handled.taskId, two.taskId]);
    expect(results[0]).to.deep.equal({ taskId: one.taskId, ok: true, applicationId: one.app.id, state: 'in_progress' });
    expect(results[1]).to.deep.include({ ok: false });
    expect(results[1]!.ok === false && results[1]!.problem).to.include({ status: 403, code: 'TASK.NOT_YOURS' });
    expect(results[2]!.ok === false && results[2]!.problem).to.include({ status: 409, code: 'TASK.ALREADY_HANDLED' });
    expect(results[3]).to.deep.equal({ taskId: two.taskId, ok: true, applicationId: two.app.id, state: 'in_progress' });

    for (const { app } of [one, two]) {
      const p = await progress(t, app.id);
      expect(p.activeNode).to.equal('sign');
      expect(p.history.filter((h) => h.action === 'approved')).to.deep.equal([
        { ...p.history.find((h) => h.action === 'approved'), actor: 'T0302', comment: '批量同意' },
      ]);
      // each approval is its own change: its audit entry and its event
      expect((await auditActions(app.id)).filter((a) => a === 'task.approved')).to.have.length(1);
      expect(Number(await events(app.id, 'task.approved'))).to.equal(1);
    }
    // the refused ones changed nothing
    const p = await progress(t, handled.app.id);
    expect(p.currentTasks.find((x) => x.id === notMine)).to.include({ status: 'open', assignee: 'T0101' });
    expect((await auditActions(handled.app.id)).filter((a) => a === 'task.approved')).to.have.length(1);
  });

  it('claims pooled tasks for the actor; someone outside the pool is refused per task; an unknown task is 404 in its place', async () => {
    const a = await apply(t, itemId);
    const b = await apply(t, itemId);
    const [ta, tb] = [a.currentTasks[0]!.id, b.currentTasks[0]!.id];
    const outsider = await batch('hq-handler', { action: 'claim', taskIds: [ta] });
    expect(outsider.status).to.equal(200);
    expect((outsider.body.results as BatchResult[])[0]).to.deep.include({ ok: false });
    expect((outsider.body.results[0] as { problem: { status: number } }).problem.status).to.equal(403);

    const unknown = randomUUID();
    const res = await batch('cw-handler', { action: 'claim', taskIds: [ta, unknown, tb] });
    expect(res.status).to.equal(200);
    const results = res.body.results as BatchResult[];
    expect(results.map((r) => r.ok)).to.deep.equal([true, false, true]);
    expect(results[1]!.ok === false && results[1]!.problem).to.include({ status: 404, code: 'TASK.NOT_FOUND' });
    for (const app of [a, b]) expect((await progress(t, app.id)).currentTasks[0]).to.include({ assignee: 'T0302' });
    // claimed twice: the second is a conflict, as the single claim answers it
    const again = await batch('cw-handler', { action: 'claim', taskIds: [ta] });
    expect((again.body.results[0] as { problem: { status: number; code: string } }).problem).to.include({
      status: 409,
      code: 'TASK.ALREADY_CLAIMED',
    });
  });

  it('an Idempotency-Key replays the first answer and acts once', async () => {
    const one = await claimed();
    const key = randomUUID();
    const token = await t.login('cw-handler');
    const send = () =>
      import('supertest').then(({ default: request }) =>
        request(t.app)
          .post('/api/v1/tasks/batch')
          .set('Authorization', `Bearer ${token}`)
          .set('Idempotency-Key', key)
          .send({ action: 'approve', taskIds: [one.taskId] }),
      );
    const first = await send();
    const second = await send();
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(200);
    expect(second.headers['idempotent-replayed']).to.equal('true');
    expect(second.body).to.deep.equal(first.body);
    expect((first.body.results as BatchResult[])[0]!.ok).to.equal(true);
    expect((await auditActions(one.app.id)).filter((a) => a === 'task.approved')).to.have.length(1);
  });

  it('bad bodies are a 400 naming the fields, and nothing is done', async () => {
    const { app, taskId } = await claimed();
    const paths = async (body: unknown) => {
      const res = await batch('cw-handler', body);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.type).to.equal('application/problem+json');
      return (res.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    };
    expect(await paths({ action: 'approve', taskIds: [] })).to.deep.equal(['/taskIds']);
    const many = Array.from({ length: 51 }, () => randomUUID());
    expect(await paths({ action: 'approve', taskIds: [taskId, ...many.slice(1)] })).to.deep.equal(['/taskIds']);
    expect(await paths({ action: 'approve', taskIds: [taskId, randomUUID(), taskId, taskId] })).to.deep.equal([
      '/taskIds/2',
      '/taskIds/3',
    ]);
    expect(await paths({ action: 'approve', taskIds: ['not-a-uuid', taskId, 42] })).to.deep.equal([
      '/taskIds/0',
      '/taskIds/2',
    ]);
    expect(await paths({ action: 'reject', taskIds: [taskId] })).to.deep.equal(['/action']);
    expect(await paths({ action: 'claim', taskIds: [taskId], comment: 'x' })).to.deep.equal(['/comment']);
    expect(await paths({ taskIds: [taskId], extra: true })).to.deep.equal(['/action', '/extra']);
    expect(await paths({ action: 'approve', taskIds: taskId })).to.deep.equal(['/taskIds']);
    const p = await progress(t, app.id);
    expect(p.activeNode).to.equal('check');
    expect(p.currentTasks[0]).to.include({ id: taskId, status: 'open', assignee: 'T0302' });
  });
});
