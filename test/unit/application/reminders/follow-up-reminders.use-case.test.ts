import { expect } from 'chai';
import {
  FollowUpRemindersUseCase,
  type FollowUpReminderJob,
} from '../../../../src/application/reminders/follow-up-reminders.use-case.js';
import { FollowUpMother } from '../../../mothers/evaluation.mother.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

/** The open follow-up of a bad rating of a completed finance application. */
function setup() {
  const s = hallWithItem();
  const done = s.stored((w) => ApplicationMother.completed(w));
  const followUp = FollowUpMother.create({ applicationId: done.id, itemId: s.item.id });
  s.hall.seed.followUp(followUp);
  /** The timer's job as a worker fetched it. */
  const job = (o: Partial<FollowUpReminderJob> = {}): FollowUpReminderJob => {
    const j: FollowUpReminderJob = {
      queue: 'task-reminder',
      id: 'j-f',
      followUpId: followUp.id,
      kind: 'before-due',
      dueAt: followUp.snapshot().dueAt.toISOString(),
      ...o,
    };
    s.hall.seed.activeJob(j.queue, j.id, { followUpId: j.followUpId, kind: j.kind, dueAt: j.dueAt });
    return j;
  };
  const completed = () =>
    s.hall
      .jobs('task-reminder')
      .filter((x) => x.state === 'completed')
      .map((x) => x.id);
  return { ...s, done, followUp, job, completed, uc: new FollowUpRemindersUseCase(s.hall) };
}

describe('FollowUpRemindersUseCase', () => {
  it("reminds the owning unit's service admins before the due date, audited, with the end of the job", async () => {
    const { hall, uc, done, followUp, job, completed } = setup();
    expect(await uc.fire(job())).to.equal('sent');
    expect(hall.db.state.notifications.map((n) => [n.recipientId, n.kind, n.applicationId, n.taskId])).to.deep.equal([
      [cast.admin.id, 'follow-up.before-due', done.id, null],
    ]);
    expect(hall.db.state.notifications[0]!.subject).to.equal('【整改即将到期】差旅费报销 2026-CW-000001');
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.requestId])).to.deep.equal([
      ['follow-up.reminded', 'follow-up', followUp.id, 'job-j-f'],
    ]);
    expect(completed()).to.deep.equal(['j-f']);
  });

  it("tells the President's Office when the follow-up is overdue, naming the unit", async () => {
    const { hall, uc, job } = setup();
    await uc.fire(job({ kind: 'overdue' }));
    expect(hall.db.state.notifications.map((n) => [n.recipientId, n.kind])).to.deep.equal([
      [cast.presidentOffice.id, 'follow-up.overdue-escalation'],
    ]);
    expect(hall.db.state.notifications[0]!.body).to.contain('财务处 对差评（2 星）的整改');
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['follow-up.overdue-escalated']);
  });

  it('leaves alone a follow-up closed meanwhile or with another due date, but ends the job', async () => {
    const { hall, uc, followUp, job, completed } = setup();
    expect(await uc.fire(job({ id: 'j-moved', dueAt: '2027-01-01T00:00:00.000Z' }))).to.equal('stale');
    hall.db.state.followUps.get(followUp.id)!.status = 'resolved';
    expect(await uc.fire(job())).to.equal('stale');
    expect([hall.db.state.notifications, hall.audit, completed()]).to.deep.equal([[], [], ['j-moved', 'j-f']]);
  });
});
