import { expect } from 'chai';
import type { TaskRemindersUseCase } from '../../src/application/reminders/task-reminders.use-case.js';
import type { TimeoutAction } from '../../src/domain/process-definition/process-definition.js';
import { MovableClock } from '../fixtures/movable-clock.js';
import { fireDueReminders, reminderJobs } from '../fixtures/reminder-jobs.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { application, as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, progress, reimbursement, type AppBody } from './application-helpers.js';

/** The reimbursement item with its finance review (a pool, due after 2 working days) acting on its own when late. */
function lateReview(action: TimeoutAction) {
  const def = reimbursement('all');
  return { ...def, nodes: def.nodes.map((n) => (n.key === 'check' ? { ...n, onTimeout: { action } } : n)) };
}

// Wednesday 30 September 2026, 10:00 in China: the review opened now is due at the end of Fri 9 Oct
const OPENED = new Date('2026-09-30T02:00:00Z');
const DUE = '2026-10-09T15:59:59.999Z';
const PASSED = new Date('2026-10-09T16:00:00Z');

describe("a node's onTimeout action when a task outlives its time limit (e2e, real jobs)", () => {
  let t: TestApp;
  let reminders: TaskRemindersUseCase;
  const items: Partial<Record<TimeoutAction, string>> = {};
  const clock = new MovableClock(OPENED);
  before(async () => {
    t = await createTestApp(() => ({ clock }));
    reminders = t.container.useCases.taskReminders;
    for (const [action, code] of [
      ['approve', 'CW-TOA'],
      ['reject', 'CW-TOR'],
      ['escalate', 'CW-TOE'],
    ] as const)
      items[action] = (await onlineItem(t, code, lateReview(action))).itemId;
  });
  after(async () => {
    await t.close();
  });
  beforeEach(() => {
    clock.at = OPENED;
    t.forgetLogins();
  });

  const moveTo = (at: Date) => {
    clock.at = at;
    t.forgetLogins();
  };
  const dueJob = async (taskId: string) => {
    const j = (await reminderJobs(t.db.knex, [taskId])).find((x) => x.data.kind === 'due')!;
    return { queue: 'task-reminder', id: j.id, ...j.data };
  };
  const audited = async (applicationId: string) =>
    (
      await t.db
        .knex('audit_log')
        .where({ entity_id: applicationId, action: 'task.time-limit-passed' })
        .select('actor_id', 'after')
    ).map((r: { actor_id: string; after: Record<string, unknown> }) => [r.actor_id, r.after.outcome]);
  const events = async (applicationId: string) =>
    (
      await t.db
        .knex('outbox')
        .where({ aggregate_id: applicationId, topic: 'task.time-limit-passed' })
        .select('payload')
    ).map((r: { payload: Record<string, unknown> }) => r.payload);
  const entries = async (id: string, action: string) =>
    (await progress(t, id)).history.filter((h) => h.action === action);

  it('approve: at the due time the system approves the review, the countersign opens; audited with its event; a second run does nothing', async () => {
    const a = await apply(t, items.approve!);
    const task = a.currentTasks[0]!;
    expect(task.dueAt).to.equal(DUE);
    expect(await dueJob(task.id)).to.deep.include({ dueAt: DUE });
    // not before the due time: the reminder before it goes out, the task stays open
    moveTo(new Date('2026-10-08T16:00:00Z'));
    await fireDueReminders(t.db.knex, t.container, clock.at);
    expect((await progress(t, a.id)).activeNode).to.equal('check');

    moveTo(PASSED);
    const fired = await fireDueReminders(t.db.knex, t.container, PASSED);
    expect(fired).to.deep.include({ kind: 'due', outcome: 'acted' });
    const after = await progress(t, a.id);
    expect(after.activeNode).to.equal('sign');
    expect(after.currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0101', 'T0102']);
    const approved = (await entries(a.id, 'approved'))[0]!;
    expect(approved).to.deep.include({
      actor: 'system',
      node: 'check',
      detail: { automatic: true, reason: 'time limit passed' },
    });
    expect((await entries(a.id, 'node-passed')).map((h) => [h.actor, h.node])).to.deep.equal([['system', 'check']]);
    expect(await audited(a.id)).to.deep.equal([['system', 'approved']]);
    expect(await events(a.id)).to.deep.equal([
      { actor: 'system', taskId: task.id, caseNumber: a.caseNumber, node: 'check', outcome: 'approved' },
    ]);
    // the job delivered again (a retry, another instance): the task is done, nothing happens
    expect(await reminders.fire(await dueJob(task.id))).to.equal('stale');
    expect(await entries(a.id, 'approved')).to.have.length(1);
    expect(await audited(a.id)).to.have.length(1);
    // its other timers are cancelled with the task
    expect(
      (await reminderJobs(t.db.knex, [task.id])).filter((j) => j.data.kind === 'overdue').map((j) => j.state),
    ).to.deep.equal(['cancelled']);
  });

  it('reject: at the due time the system rejects the application with the reason', async () => {
    const a = await apply(t, items.reject!);
    const task = a.currentTasks[0]!;
    moveTo(PASSED);
    expect(await fireDueReminders(t.db.knex, t.container, PASSED)).to.deep.include({ kind: 'due', outcome: 'acted' });
    const after = await progress(t, a.id);
    expect([after.state, after.activeNode, after.currentTasks]).to.deep.equal(['rejected', null, []]);
    expect((await entries(a.id, 'rejected'))[0]).to.deep.include({
      actor: 'system',
      node: 'check',
      detail: { automatic: true, reason: 'time limit passed' },
    });
    expect((await entries(a.id, 'application-rejected'))[0]).to.deep.include({
      actor: 'system',
      comment: 'time limit passed',
    });
    expect(await audited(a.id)).to.deep.equal([['system', 'rejected']]);
    expect(await reminders.fire(await dueJob(task.id))).to.equal('stale');
    expect(await audited(a.id)).to.have.length(1);
    // a handler arriving after it finds the task handled
    expect((await act(t, 'cw-handler', task.id, 'claim')).status).to.equal(409);
  });

  it("escalate: the task goes to the finance service admins' pool, who are told at once; run twice it escalates once", async () => {
    const a = await apply(t, items.escalate!);
    const task = a.currentTasks[0]!;
    await act(t, 'cw-handler', task.id, 'claim');
    moveTo(PASSED);
    const job = await dueJob(task.id);
    // two instances take the same job at once: the application lock lets one act, the other finds it done
    const outcomes = await Promise.all([reminders.fire(job), reminders.fire(job)]);
    expect(outcomes.sort()).to.deep.equal(['acted', 'sent']);
    const after = await progress(t, a.id);
    expect(after.currentTasks.map((x) => [x.id, x.assignee, x.status])).to.deep.equal([[task.id, null, 'open']]);
    const escalated = await entries(a.id, 'escalated');
    expect(escalated.map((h) => [h.actor, h.detail])).to.deep.equal([
      ['system', { reason: 'time limit passed', from: 'T0302', to: { role: 'unit-service-admin', unit: 'finance' } }],
    ]);
    expect(await audited(a.id)).to.deep.equal([['system', 'escalated']]);
    const told = (await as(t, 'cw-admin').get('/api/v1/me/messages')).body.items.filter(
      (m: { taskId: string }) => m.taskId === task.id,
    );
    expect(told.map((m: { kind: string }) => m.kind)).to.deep.equal(['reminder.due']);
    // the former holder no longer holds it; the admin claims and decides it
    expect((await act(t, 'cw-handler', task.id, 'approve')).status).to.equal(403);
    expect((await act(t, 'cw-admin', task.id, 'claim')).status).to.equal(200);
    const decided = (await act(t, 'cw-admin', task.id, 'approve')).body as AppBody;
    expect(decided.activeNode).to.equal('sign');
  });

  it('a task handled before its due time is not touched: its timers are cancelled, and a late one does nothing', async () => {
    const a = await apply(t, items.reject!);
    const task = a.currentTasks[0]!;
    moveTo(new Date('2026-10-09T02:00:00Z'));
    await act(t, 'cw-handler', task.id, 'claim');
    expect((await act(t, 'cw-handler', task.id, 'approve')).status).to.equal(200);
    expect((await reminderJobs(t.db.knex, [task.id])).map((j) => j.state)).to.deep.equal([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    // even a timer taken before the cancellation committed finds the task done
    moveTo(PASSED);
    expect(await reminders.fire(await dueJob(task.id))).to.equal('stale');
    const after = await progress(t, a.id);
    expect(after.state).to.equal('in_progress');
    expect(after.activeNode).to.equal('sign');
    expect(await audited(a.id)).to.deep.equal([]);
    expect((await entries(a.id, 'approved')).map((h) => h.actor)).to.deep.equal(['T0302']);
  });

  it('a handler approving at the very moment the due timer fires: one of the two decides, never both', async () => {
    const a = await apply(t, items.reject!);
    const task = a.currentTasks[0]!;
    await act(t, 'cw-handler', task.id, 'claim');
    moveTo(PASSED);
    const job = await dueJob(task.id);
    const [handler, timer] = await Promise.all([act(t, 'cw-handler', task.id, 'approve'), reminders.fire(job)]);
    const after = await progress(t, a.id);
    if (handler.status === 200) {
      expect(timer).to.equal('stale');
      expect([after.state, after.activeNode]).to.deep.equal(['in_progress', 'sign']);
      expect(await audited(a.id)).to.deep.equal([]);
    } else {
      expect([handler.status, handler.body.code]).to.deep.equal([409, 'TASK.ALREADY_HANDLED']);
      expect(timer).to.equal('acted');
      expect(after.state).to.equal('rejected');
      expect(await audited(a.id)).to.deep.equal([['system', 'rejected']]);
    }
    const decisions = (await progress(t, a.id)).history.filter(
      (h) => (h.action === 'approved' || h.action === 'rejected') && h.node === 'check',
    );
    expect(decisions).to.have.length(1);
  });

  it('a definition is refused (400, nothing stored) with onTimeout on the start, an unknown action, or approve on a transfer node', async () => {
    const created = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: 'CW-TOX' });
    const id = created.body.id as string;
    await as(t, 'xb-officer').post(`/api/v1/service-items/${id}/approvals`);
    await as(t, 'it-officer').post(`/api/v1/service-items/${id}/approvals`);
    const def = reimbursement('all') as { nodes: Array<Record<string, unknown>> };
    def.nodes[0]!.onTimeout = { action: 'approve' };
    def.nodes[1]!.onTimeout = { action: 'wait' };
    def.nodes[2]!.kind = 'transfer';
    def.nodes[2]!.mode = 'any';
    def.nodes[2]!.onTimeout = { action: 'approve' };
    def.nodes[3]!.onTimeout = 'escalate';
    const res = await as(t, 'cw-admin').put(`/api/v1/service-items/${id}/draft/definition`, def);
    expect(res.status).to.equal(400);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body.code).to.equal('PROCESS_DEFINITION.INVALID');
    expect((res.body.errors as Array<{ path: string; message: string }>).map((e) => e.path).sort()).to.deep.equal([
      '/nodes/0/onTimeout',
      '/nodes/1/onTimeout/action',
      '/nodes/2/onTimeout/action',
      '/nodes/3/onTimeout',
    ]);
    expect((await t.db.knex('service_versions').where({ item_id: id })).length, 'nothing stored').to.equal(0);
  });
});
