import { expect } from 'chai';
import type { TaskRemindersUseCase } from '../../src/application/reminders/task-reminders.use-case.js';
import { MovableClock } from '../fixtures/movable-clock.js';
import { fireDueReminders, reminderJobs } from '../fixtures/reminder-jobs.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement, taskOf, type AppBody } from './application-helpers.js';

const HOUR = 3_600_000;

describe('reminders and escalation on working-day due dates (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  let reminders: TaskRemindersUseCase;
  // Wednesday 30 September 2026, 10:00 in China: the National Day holiday (1–7 Oct) is next
  const clock = new MovableClock(new Date('2026-09-30T02:00:00Z'));
  before(async () => {
    t = await createTestApp(() => ({ clock }));
    itemId = (await onlineItem(t, 'CW-TIME', reimbursement('all'))).itemId;
    reminders = t.container.useCases.taskReminders;
  });
  after(async () => {
    await t.close();
  });
  beforeEach(() => {
    clock.at = new Date('2026-09-30T02:00:00Z');
    t.forgetLogins();
  });

  const messages = async (user: string) =>
    (await as(t, user).get('/api/v1/me/messages')).body as {
      items: Array<{ kind: string; subject: string; body: string; taskId: string }>;
      unread: number;
    };
  const fire = (at: Date) => {
    clock.at = at;
    t.forgetLogins();
    return fireDueReminders(t.db.knex, t.container, at);
  };

  it('due dates count working days: over the National Day holiday, a weekend and a make-up working day', async () => {
    const a = await apply(t, itemId);
    const check = a.currentTasks[0] as AppBody['currentTasks'][number] & { dueAt: string };
    // 2 working days from Wed 30 Sep: 1–7 Oct are holidays, Thu 8 and Fri 9 Oct count; due at the end of Fri 9 Oct
    expect(check.dueAt).to.equal('2026-10-09T15:59:59.999Z');
    clock.at = new Date('2026-10-09T02:00:00Z'); // Fri 9 Oct
    t.forgetLogins();
    await act(t, 'cw-handler', check.id, 'claim');
    const signing = (await act(t, 'cw-handler', check.id, 'approve')).body as AppBody & {
      currentTasks: Array<{ dueAt: string }>;
    };
    // 3 working days from Fri 9 Oct: Sat 10 Oct is a make-up working day (调休上班), Sun 11 rests, Mon 12 and Tue 13 count
    expect(signing.currentTasks.map((x) => x.dueAt)).to.deep.equal([
      '2026-10-13T15:59:59.999Z',
      '2026-10-13T15:59:59.999Z',
    ]);
  });

  it('arms three timers per task in the transaction that opens it: before, at and after the due time', async () => {
    const a = await apply(t, itemId);
    const jobs = await reminderJobs(t.db.knex, [a.currentTasks[0]!.id]);
    const due = Date.parse('2026-10-09T15:59:59.999Z');
    expect(jobs.map((j) => [j.data.kind, j.start_after.getTime(), j.state])).to.deep.equal([
      ['before-due', due - 24 * HOUR, 'created'],
      ['due', due, 'created'],
      ['overdue', due + 24 * HOUR, 'created'],
    ]);
  });

  it("reminds the pool before and at the due time, escalates to the unit's service admin after it — each exactly once", async () => {
    const a = await apply(t, itemId);
    const taskId = a.currentTasks[0]!.id;
    const before = (await messages('cw-handler')).items.filter((m) => m.taskId === taskId);
    expect(before).to.deep.equal([]);

    expect(await fire(new Date('2026-10-08T16:00:00Z'))).to.deep.include({ kind: 'before-due', outcome: 'sent' });
    let mine = (await messages('cw-handler')).items.filter((m) => m.taskId === taskId);
    expect(mine.map((m) => m.kind)).to.deep.equal(['reminder.before-due']);
    expect(mine[0]!.subject).to.equal(`【即将到期】差旅费报销 ${a.caseNumber}`);
    expect(mine[0]!.body).to.contain('将于 2026-10-09 23:59 到期');

    await fire(new Date('2026-10-09T16:00:00Z'));
    mine = (await messages('cw-handler')).items.filter((m) => m.taskId === taskId);
    expect(mine.map((m) => m.kind)).to.deep.equal(['reminder.due', 'reminder.before-due']);
    expect((await messages('cw-admin')).items.filter((m) => m.taskId === taskId)).to.deep.equal([]);

    await fire(new Date('2026-10-10T16:00:00Z'));
    const admin = (await messages('cw-admin')).items.filter((m) => m.taskId === taskId);
    expect(admin.map((m) => m.kind)).to.deep.equal(['reminder.overdue-escalation']);
    expect(admin[0]!.subject).to.equal(`【超期督办】差旅费报销 ${a.caseNumber}`);
    expect((await messages('cw-handler')).items.filter((m) => m.taskId === taskId)).to.have.length(2);

    // a job delivered twice (a retry after a lost acknowledgement) tells nobody twice
    const jobs = await reminderJobs(t.db.knex, [taskId]);
    await reminders.fire({ queue: 'task-reminder', id: jobs[0]!.id, ...jobs[0]!.data });
    expect((await messages('cw-handler')).items.filter((m) => m.taskId === taskId)).to.have.length(2);
    const audit = await t.db
      .knex('audit_log')
      .where({ entity_id: taskId })
      .whereIn('action', ['task.reminded', 'task.overdue-escalated'])
      .orderBy('pos');
    expect(audit.map((r: { action: string }) => r.action)).to.deep.equal([
      'task.reminded',
      'task.reminded',
      'task.overdue-escalated',
    ]);
  });

  it('a claimed task reminds its holder only; completing it cancels its timers, and a late timer does nothing', async () => {
    const a = await apply(t, itemId);
    const taskId = a.currentTasks[0]!.id;
    await act(t, 'cw-handler', taskId, 'claim');
    expect((await act(t, 'cw-handler', taskId, 'approve')).status).to.equal(200);
    const jobs = await reminderJobs(t.db.knex, [taskId]);
    expect(jobs.map((j) => j.state)).to.deep.equal(['cancelled', 'cancelled', 'cancelled']);
    // even if one fired (a job taken before the cancellation committed), a closed task is left alone
    await t.db.knex('pgboss.job').where({ id: jobs[1]!.id }).update({ state: 'created' });
    expect(await fire(new Date('2026-10-09T16:00:00Z'))).to.deep.include({ kind: 'due', outcome: 'stale' });
    expect((await messages('cw-handler')).items.filter((m) => m.taskId === taskId)).to.deep.equal([]);
  });

  it('a return re-arms: the step gets a new task with a new due date and timers; the old ones are cancelled', async () => {
    let a = await apply(t, itemId);
    const first = a.currentTasks[0]!.id;
    await act(t, 'cw-handler', first, 'claim');
    clock.at = new Date('2026-10-09T02:00:00Z');
    t.forgetLogins();
    a = (await act(t, 'cw-handler', first, 'approve')).body;
    clock.at = new Date('2026-10-12T02:00:00Z'); // Mon 12 Oct: a signer sends it back to the finance review
    t.forgetLogins();
    const back = await act(t, 'jw-admin', taskOf(a, 'T0101'), 'return', { target: 'check', comment: '请补充发票' });
    expect(back.status, JSON.stringify(back.body)).to.equal(200);
    a = back.body;
    const again = a.currentTasks.find((x) => x.node === 'check')! as AppBody['currentTasks'][number] & {
      dueAt: string;
    };
    expect(again.id).to.not.equal(first);
    expect(again.dueAt).to.equal('2026-10-14T15:59:59.999Z'); // Tue 13 and Wed 14 Oct
    const signers = await reminderJobs(
      t.db.knex,
      a.currentTasks.filter((x) => x.node === 'sign').map((x) => x.id),
    );
    expect(signers.every((j) => j.state === 'cancelled')).to.equal(true);
    const armed = await reminderJobs(t.db.knex, [again.id]);
    expect(armed.map((j) => [j.data.kind, j.start_after.toISOString()])).to.deep.equal([
      ['before-due', '2026-10-13T15:59:59.999Z'],
      ['due', '2026-10-14T15:59:59.999Z'],
      ['overdue', '2026-10-15T15:59:59.999Z'],
    ]);
    await fire(new Date('2026-10-14T16:00:00Z'));
    expect(
      (await messages('cw-handler')).items
        .filter((m) => m.taskId === again.id)
        .map((m) => m.kind)
        .sort(),
    ).to.deep.equal(['reminder.before-due', 'reminder.due']);
  });

  it('a withdrawal disarms the timers; a transfer keeps them, and the reminder finds the new holder', async () => {
    const gone = await apply(t, itemId);
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${gone.id}/withdrawal`)).status).to.equal(200);
    expect((await reminderJobs(t.db.knex, [gone.currentTasks[0]!.id])).map((j) => j.state)).to.deep.equal([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);

    const a = await apply(t, itemId);
    const taskId = a.currentTasks[0]!.id;
    await act(t, 'cw-handler', taskId, 'claim');
    expect((await act(t, 'cw-handler', taskId, 'transfer', { to: 'T0301', comment: '请郑老师处理' })).status).to.equal(
      200,
    );
    expect((await reminderJobs(t.db.knex, [taskId])).map((j) => j.state)).to.deep.equal([
      'created',
      'created',
      'created',
    ]);
    await fire(new Date('2026-10-09T16:00:00Z'));
    expect(
      (await messages('cw-admin')).items
        .filter((m) => m.taskId === taskId)
        .map((m) => m.kind)
        .sort(),
    ).to.deep.equal(['reminder.before-due', 'reminder.due']);
    expect((await messages('cw-handler')).items.filter((m) => m.taskId === taskId)).to.deep.equal([]);
    expect((await messages('cw-handler')).items.filter((m) => m.taskId === gone.currentTasks[0]!.id)).to.deep.equal([]);
  });

  it("a signer added before me (前加签) pauses my timers and takes the step's due time; my task reopens with them", async () => {
    let a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
    const mine = taskOf(a, 'T0101');
    a = (await act(t, 'jw-admin', mine, 'add-signer', { person: 'T0010', position: 'before' })).body;
    const added = taskOf(a, 'T0010');
    expect(a.currentTasks.find((x) => x.id === added)!.dueAt).to.equal(
      a.currentTasks.find((x) => x.id === mine)!.dueAt,
    );
    expect((await reminderJobs(t.db.knex, [mine])).map((j) => j.state)).to.deep.equal([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect((await reminderJobs(t.db.knex, [added])).map((j) => j.state)).to.deep.equal([
      'created',
      'created',
      'created',
    ]);
    await act(t, 'xb-admin', added, 'approve', { comment: '建议同意' });
    expect((await reminderJobs(t.db.knex, [mine])).map((j) => j.state)).to.deep.equal([
      'created',
      'created',
      'created',
    ]);
    expect((await reminderJobs(t.db.knex, [added])).map((j) => j.state)).to.deep.equal([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
  });

  it("a follow-up of a bad rating (整改) is tracked the same way: the unit's admins are reminded, the President's Office is told when it is overdue; resolving it disarms", async () => {
    async function ratedBadly(): Promise<{ id: string; dueAt: string }> {
      let a = await apply(t, itemId);
      await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
      a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
      a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve')).body;
      a = (await act(t, 'jw-handler', taskOf(a, 'T0102'), 'approve')).body;
      a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
      expect(a.state).to.equal('completed');
      const rated = await as(t, 'student-xx').put(`/api/v1/applications/${a.id}/evaluation`, {
        level: 2,
        comment: '等了很久',
      });
      return rated.body.followUp as { id: string; dueAt: string };
    }
    const f = await ratedBadly();
    const due = Date.parse(f.dueAt);
    expect(
      (await reminderJobs(t.db.knex, [f.id], 'followUpId')).map((j) => [j.data.kind, j.start_after.getTime(), j.state]),
    ).to.deep.equal([
      ['before-due', due - 24 * HOUR, 'created'],
      ['due', due, 'created'],
      ['overdue', due + 24 * HOUR, 'created'],
    ]);
    await fire(new Date(due + HOUR));
    const admin = (await messages('cw-admin')).items.filter(
      (m) => m.kind.startsWith('follow-up.') && m.body.includes('2 星'),
    );
    expect(admin.map((m) => m.kind).sort()).to.deep.equal(['follow-up.before-due', 'follow-up.due']);
    expect(admin[0]!.subject).to.match(/^【整改(即将)?到期】差旅费报销 /);
    await fire(new Date(due + 25 * HOUR));
    const office = (await messages('xb-officer')).items.filter((m) => m.kind === 'follow-up.overdue-escalation');
    expect(office).to.have.length(1);
    expect(office[0]!.body).to.contain('财务处');

    const resolved = await ratedBadly();
    expect(
      (await as(t, 'cw-admin').post(`/api/v1/follow-ups/${resolved.id}/resolution`, { resolution: '已约谈经办人' }))
        .status,
    ).to.equal(200);
    expect((await reminderJobs(t.db.knex, [resolved.id], 'followUpId')).map((j) => j.state)).to.deep.equal([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
  });

  it("the to-do list shows each task's due time, and which are overdue by the university's clock", async () => {
    const a = await apply(t, itemId);
    const row = async () =>
      (
        (await as(t, 'cw-handler').get('/api/v1/me/tasks?limit=100')).body.items as Array<{
          taskId: string;
          dueAt: string;
          overdue: boolean;
        }>
      ).find((x) => x.taskId === a.currentTasks[0]!.id)!;
    expect(await row()).to.deep.include({ dueAt: '2026-10-09T15:59:59.999Z', overdue: false });
    clock.at = new Date('2026-10-09T16:00:00Z');
    t.forgetLogins();
    expect((await row()).overdue).to.equal(true);
  });

  it('an urge (催办) notifies the holders of the current step', async () => {
    const a = await apply(t, itemId);
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/urge`)).status).to.equal(200);
    const got = (await messages('cw-handler')).items.filter((m) => m.kind === 'urge' && m.body.includes(a.caseNumber));
    expect(got).to.have.length(1);
    expect(got[0]!.subject).to.equal(`【催办】差旅费报销 ${a.caseNumber}`);
  });

  it("messages are the reader's own, can be marked read, and count the unread", async () => {
    const a = await apply(t, itemId);
    await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/urge`);
    const list = await messages('cw-handler');
    const m = list.items[0]!;
    expect(
      (await as(t, 'cw-admin').post(`/api/v1/me/messages/${(m as unknown as { id: string }).id}/read`)).status,
    ).to.equal(404);
    expect(
      (await as(t, 'cw-handler').post(`/api/v1/me/messages/${(m as unknown as { id: string }).id}/read`)).status,
    ).to.equal(204);
    expect((await messages('cw-handler')).unread).to.equal(list.unread - 1);
  });
});
