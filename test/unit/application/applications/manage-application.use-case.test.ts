import { expect } from 'chai';
import { ManageApplicationUseCase } from '../../../../src/application/applications/manage-application.use-case.js';
import { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const admin = ActorMother.of(cast.admin);
const itOffice = ActorMother.of(cast.itOffice);

function setup() {
  const s = hallWithItem();
  return { ...s, uc: new ManageApplicationUseCase(s.hall) };
}

describe('ManageApplicationUseCase: 撤销 by an admin', () => {
  it("the owning unit's admin cancels: cancelled with the reason, live tasks closed, one audit entry, one event, the applicant told", async () => {
    const { hall, uc, submitted } = setup();
    const a = submitted();
    const view = value(await uc.cancel({ actor: admin, applicationId: a.id, reason: '申请人已离校' }));
    expect(view).to.deep.include({ state: 'cancelled', activeNode: null, currentTasks: [], form: {} });
    const stored = hall.stored(a.id);
    expect(stored.props.tasks.map((t) => t.status)).to.deep.equal(['cancelled']);
    expect(stored.history.at(-1)).to.deep.include({
      action: 'cancelled',
      actor: cast.admin.id,
      comment: '申请人已离校',
      detail: { byAdmin: true },
    });
    expect(hall.audit.map((e) => [e.action, e.actorId, e.after])).to.deep.equal([
      ['application.cancelled', cast.admin.id, { state: 'cancelled', byAdmin: true }],
    ]);
    expect(hall.outbox.map((e) => [e.topic, e.payload])).to.deep.equal([
      ['application.cancelled', { actor: cast.admin.id, caseNumber: '2026-CW-000001', byAdmin: true }],
    ]);
    const told = hall.db.state.notifications;
    expect(told.map((n) => [n.recipientId, n.kind, n.applicationId])).to.deep.equal([
      [cast.applicant.id, 'application.cancelled-by-admin', a.id],
    ]);
    expect(told[0]!.body).to.include('申请人已离校');
  });

  it('the IT Office cancels any unit’s application', async () => {
    const { uc, submitted } = setup();
    const a = submitted();
    expect(value(await uc.cancel({ actor: itOffice, applicationId: a.id, reason: '系统迁移' })).state).to.equal(
      'cancelled',
    );
  });

  it('refuses a handler, an auditor and another unit’s admin (403), a draft and an ended one (409), changing nothing', async () => {
    const { hall, uc, submitted, stored } = setup();
    const a = submitted();
    const draft = stored((w) => ApplicationMother.draft(w));
    const ended = stored((w) => ApplicationMother.completed(w, {}));
    const before = hall.db.dump();
    for (const who of [cast.handler, cast.auditor, cast.aaAdmin, cast.applicant]) {
      const e = failure(await uc.cancel({ actor: ActorMother.of(who), applicationId: a.id, reason: 'x' }));
      expect(e.code, who.id).to.equal('AUTH.FORBIDDEN');
    }
    for (const id of [draft.id, ended.id])
      expect(failure(await uc.cancel({ actor: admin, applicationId: id, reason: 'x' })).code).to.equal(
        'APPLICATION.NOT_CANCELLABLE',
      );
    expect(
      failure(await uc.cancel({ actor: admin, applicationId: globalThis.crypto.randomUUID(), reason: 'x' })).code,
    ).to.equal('APPLICATION.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});

describe('ManageApplicationUseCase: 改派', () => {
  it('gives an unclaimed pool task to active staff: assigned to them, audited, one event, the new holder told', async () => {
    const { hall, uc, submitted } = setup();
    const a = submitted();
    const task = openTask(a, 'check', null);
    const view = value(await uc.reassign({ actor: admin, taskId: task.id, to: cast.outsider.id, reason: '加快办理' }));
    expect(view.currentTasks).to.deep.equal([
      { ...view.currentTasks[0], id: task.id, assignee: cast.outsider.id, candidate: null },
    ]);
    expect(hall.stored(a.id).history.at(-1)).to.deep.include({
      action: 'reassigned',
      actor: cast.admin.id,
      detail: { from: 'handler@finance', to: cast.outsider.id, reason: '加快办理' },
    });
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.reassigned']);
    expect(hall.outbox.map((e) => [e.topic, e.payload])).to.deep.equal([
      ['task.reassigned', { actor: cast.admin.id, taskId: task.id, caseNumber: '2026-CW-000001' }],
    ]);
    expect(hall.db.state.notifications.map((n) => [n.recipientId, n.kind, n.taskId])).to.deep.equal([
      [cast.outsider.id, 'task.reassigned', task.id],
    ]);
  });

  it('refuses `to` who is not active staff (a student, someone who left, nobody) or is the applicant (400 naming /to), nobody’s business (403), a handled task (409)', async () => {
    const { hall, uc, submitted, stored } = setup();
    const left = PersonMother.staff({ id: 'T0999', name: '已离职', status: 'left' });
    const student = PersonMother.student({ id: '2026110102' });
    hall.seed.people(left, student);
    const a = submitted();
    const task = openTask(a, 'check', null).id;
    const atDone = stored((w) => ApplicationMother.handled(w, { until: 'done' }));
    const before = hall.db.dump();
    for (const to of [cast.applicant.id, left.id, 'nobody', student.id]) {
      const e = failure(await uc.reassign({ actor: admin, taskId: task, to, reason: 'x' }));
      expect(e, to).to.be.instanceOf(InputError);
      expect((e as InputError).problems.map((p) => p.path)).to.deep.equal(['/to']);
    }
    expect(
      failure(
        await uc.reassign({ actor: ActorMother.of(cast.aaAdmin), taskId: task, to: cast.outsider.id, reason: 'x' }),
      ).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(
        await uc.reassign({ actor: ActorMother.of(cast.handler), taskId: task, to: cast.outsider.id, reason: 'x' }),
      ).code,
    ).to.equal('AUTH.FORBIDDEN');
    const handled = atDone.tasks.find((t) => t.status === 'done')!.id;
    expect(
      failure(await uc.reassign({ actor: itOffice, taskId: handled, to: cast.outsider.id, reason: 'x' })).code,
    ).to.equal('TASK.ALREADY_HANDLED');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});
