import { expect } from 'chai';
import {
  TaskRemindersUseCase,
  type ReminderJob,
} from '../../../../src/application/reminders/task-reminders.use-case.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { cast, hallWithItem, openTask, reimbursement } from '../hall.scenario.js';
import type { TimeoutAction } from '../../../../src/domain/process-definition/process-definition.js';

/** An application waiting at the finance pool's review, due at the end of 25 Nov (China); e-mail on. */
function setup() {
  const s = hallWithItem({ email: true });
  const a = s.submitted();
  const task = openTask(a, 'check');
  let jobs = 0;
  /** A timer's job as a worker fetched it. */
  const job = (o: Partial<ReminderJob> = {}): ReminderJob => {
    const j: ReminderJob = {
      queue: 'task-reminder',
      id: `job-${++jobs}`,
      taskId: task.id,
      kind: 'before-due',
      dueAt: task.dueAt!,
      ...o,
    };
    s.hall.seed.activeJob(j.queue, j.id, { taskId: j.taskId, kind: j.kind, dueAt: j.dueAt });
    return j;
  };
  const completed = () =>
    s.hall
      .jobs('task-reminder')
      .filter((x) => x.state === 'completed')
      .map((x) => x.id);
  return { ...s, a, task, job, completed, uc: new TaskRemindersUseCase(s.hall) };
}

describe('TaskRemindersUseCase', () => {
  it('reminds every holder of a pool task before it is due, audited as the system, and ends the job with it', async () => {
    const { hall, uc, a, task, job, completed } = setup();
    const j = job({ id: 'j-1' });
    expect(await uc.fire(j)).to.equal('sent');
    const told = hall.db.state.notifications;
    expect(told.map((n) => n.recipientId)).to.have.members([cast.handler.id, cast.colleague.id]);
    expect(told[0]).to.deep.include({
      kind: 'reminder.before-due',
      applicationId: a.id,
      taskId: task.id,
      emailStatus: 'pending',
    });
    expect(told[0]!.subject).to.equal('【即将到期】差旅费报销 2026-CW-000001');
    expect(told[0]!.body).to.contain('2026-11-25 23:59').and.contain(`${hall.publicUrl}/api/v1/applications/${a.id}`);
    expect(hall.audit.map((e) => [e.action, e.actorId, e.requestId, e.entityType, e.entityId, e.unit])).to.deep.equal([
      ['task.reminded', 'system', 'job-j-1', 'task', task.id, 'finance'],
    ]);
    expect((hall.audit[0]!.after as { notified: string[] }).notified).to.have.members([
      cast.handler.id,
      cast.colleague.id,
    ]);
    expect(completed()).to.deep.equal(['j-1']);
  });

  it('tells nobody twice when the same timer fires again, and audits only what it did', async () => {
    const { hall, uc, job, completed } = setup();
    const j = job();
    await uc.fire(j);
    hall.seed.activeJob(j.queue, j.id); // it expired before its end was seen, and a worker fetched it again
    await uc.fire(j);
    expect(hall.db.state.notifications).to.have.length(2);
    expect(hall.audit).to.have.length(1);
    expect(completed()).to.deep.equal([j.id]);
  });

  it("reminds only the assignee of a claimed task, and escalates an overdue one to the owning unit's admins", async () => {
    const { hall, uc, stored } = setup();
    const claimed = stored((w) => {
      const x = ApplicationMother.submitted(w, { caseNumber: '2026-CW-000002' });
      x.claim(openTask(x, 'check').id, cast.handler.id, true, new Date('2026-11-24T00:00:00Z'));
      return x;
    });
    const t = openTask(claimed, 'check');
    await uc.fire({ queue: 'task-reminder', id: 'a', taskId: t.id, kind: 'due', dueAt: t.dueAt! });
    await uc.fire({ queue: 'task-reminder', id: 'b', taskId: t.id, kind: 'overdue', dueAt: t.dueAt! });
    expect(hall.db.state.notifications.map((n) => [n.recipientId, n.kind])).to.deep.equal([
      [cast.handler.id, 'reminder.due'],
      [cast.admin.id, 'reminder.overdue-escalation'],
    ]);
    expect(hall.db.state.notifications[1]!.body).to.contain(`办理人：${cast.handler.id}`);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.reminded', 'task.overdue-escalated']);
  });

  it('leaves alone a timer whose task was handled, moved to another due time, or is unknown, but ends its job', async () => {
    const { hall, uc, job, completed } = setup();
    expect(await uc.fire(job({ dueAt: '2026-11-30T15:59:59.999Z' }))).to.equal('stale');
    expect(await uc.fire(job({ taskId: globalThis.crypto.randomUUID() }))).to.equal('stale');
    expect([hall.db.state.notifications, hall.audit, completed()]).to.deep.equal([[], [], ['job-1', 'job-2']]);
  });

  it('skips holders who are no longer active', async () => {
    const { hall, uc, job } = setup();
    hall.db.state.people.get(cast.colleague.id)!.status = 'left';
    await uc.fire(job());
    expect(hall.db.state.notifications.map((n) => n.recipientId)).to.deep.equal([cast.handler.id]);
  });

  describe("at the due time, the node's onTimeout action", () => {
    function lateReview(action: TimeoutAction) {
      const def = reimbursement();
      const definition = {
        ...def,
        nodes: def.nodes.map((n) => (n.key === 'check' ? { ...n, onTimeout: { action } } : n)),
      };
      const s = hallWithItem({ definition });
      const a = s.submitted();
      const task = openTask(a, 'check');
      s.hall.seed.activeJob('task-reminder', 'due-1', { taskId: task.id, kind: 'due', dueAt: task.dueAt! });
      const job: ReminderJob = {
        queue: 'task-reminder',
        id: 'due-1',
        taskId: task.id,
        kind: 'due',
        dueAt: task.dueAt!,
      };
      return { ...s, a, task, job, uc: new TaskRemindersUseCase(s.hall) };
    }

    it('approve: done as the system instead of the reminder, audited with its event, with the end of the job', async () => {
      const { hall, uc, a, task, job } = lateReview('approve');
      expect(await uc.fire(job)).to.equal('acted');
      expect(hall.db.state.notifications).to.deep.equal([]);
      expect(hall.audit.map((e) => [e.action, e.actorId, e.requestId, e.entityId])).to.deep.equal([
        ['task.time-limit-passed', 'system', 'job-due-1', a.id],
      ]);
      expect(hall.outbox.map((e) => [e.topic, e.payload])).to.deep.equal([
        [
          'task.time-limit-passed',
          { actor: 'system', taskId: task.id, caseNumber: a.current.caseNumber, node: 'check', outcome: 'approved' },
        ],
      ]);
      expect(hall.jobs('task-reminder').find((x) => x.id === 'due-1')!.state).to.equal('completed');
      // delivered again: the task is done, nothing more
      hall.seed.activeJob('task-reminder', 'due-1');
      expect(await uc.fire(job)).to.equal('stale');
      expect(hall.audit).to.have.length(1);
    });

    it("escalate: the task goes to the owning unit's service admins, who are reminded in the same transaction; only once", async () => {
      const { hall, uc, job } = lateReview('escalate');
      expect(await uc.fire(job)).to.equal('acted');
      expect(hall.db.state.notifications.map((n) => [n.recipientId, n.kind])).to.deep.equal([
        [cast.admin.id, 'reminder.due'],
      ]);
      expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.time-limit-passed', 'task.reminded']);
      hall.seed.activeJob('task-reminder', 'due-1');
      expect(await uc.fire(job)).to.equal('sent');
      expect(hall.audit).to.have.length(2);
      expect(hall.db.state.notifications).to.have.length(1);
    });

    it('the other timers (before the due time, overdue) only remind', async () => {
      const { hall, uc, task } = lateReview('reject');
      hall.seed.activeJob('task-reminder', 'b-1', { taskId: task.id, kind: 'before-due', dueAt: task.dueAt! });
      expect(
        await uc.fire({ queue: 'task-reminder', id: 'b-1', taskId: task.id, kind: 'before-due', dueAt: task.dueAt! }),
      ).to.equal('sent');
      expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.reminded']);
    });
  });
});
