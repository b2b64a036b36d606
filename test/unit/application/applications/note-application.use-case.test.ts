import { expect } from 'chai';
import {
  NoteApplicationUseCase,
  URGE_WINDOW_MINUTES,
} from '../../../../src/application/applications/note-application.use-case.js';
import { eventViolations } from '../../../fixtures/outbox-contract.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

function setup() {
  const s = hallWithItem();
  const a = s.submitted();
  return { ...s, a, uc: new NoteApplicationUseCase(s.hall) };
}

const urge = (uc: NoteApplicationUseCase, who: { id: string }, applicationId: string) =>
  uc.execute({ actor: ActorMother.of(who.id), applicationId, note: 'urge' });

describe('NoteApplicationUseCase: comments', () => {
  it("records a handler's private note, audited as application.commented", async () => {
    const { hall, uc, a } = setup();
    const view = value(
      await uc.execute({
        actor: ActorMother.of(cast.handler),
        applicationId: a.id,
        note: 'comment',
        text: '发票待核',
        private: true,
      }),
    );
    expect(view.recorded).to.deep.equal([hall.stored(a.id).history.at(-1)]);
    expect(view.recorded[0]).to.deep.include({
      action: 'commented',
      comment: '发票待核',
      private: true,
      actor: cast.handler.id,
      node: 'check',
    });
    expect(hall.audit.map((e) => [e.action, e.entityId, e.unit])).to.deep.equal([
      ['application.commented', a.id, 'finance'],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({ actor: cast.handler.id, caseNumber: '2026-CW-000001' });
  });

  it('answers the applicant with the comment they added', async () => {
    const { uc, a } = setup();
    const view = value(
      await uc.execute({
        actor: ActorMother.of(cast.applicant),
        applicationId: a.id,
        note: 'comment',
        text: '请尽快',
        private: false,
      }),
    );
    expect(view.recorded.map((h) => h.comment)).to.deep.equal(['请尽快']);
  });

  it("takes the applicant's comment on a draft, which has no case number yet: its event says so as its documented type allows", async () => {
    const { hall, uc, stored } = setup();
    const draft = stored((w) => ApplicationMother.draft(w));
    value(
      await uc.execute({
        actor: ActorMother.of(cast.applicant),
        applicationId: draft.id,
        note: 'comment',
        text: '先存草稿',
        private: false,
      }),
    );
    const events = hall.outbox.map((e) => ({ topic: e.topic, aggregate_type: e.aggregateType, payload: e.payload }));
    expect(events.map((e) => e.payload)).to.deep.equal([{ actor: cast.applicant.id, caseNumber: null }]);
    expect(eventViolations(events)).to.deep.equal([]);
  });

  it('refuses a private note by the applicant, and any note by someone who may not read the application, changing nothing', async () => {
    const { hall, uc, a } = setup();
    const before = hall.db.dump();
    expect(
      failure(
        await uc.execute({
          actor: ActorMother.of(cast.applicant),
          applicationId: a.id,
          note: 'comment',
          text: 'x',
          private: true,
        }),
      ).code,
    ).to.equal('APPLICATION.PRIVATE_NOTE');
    expect(
      failure(
        await uc.execute({
          actor: ActorMother.of(cast.outsider),
          applicationId: a.id,
          note: 'comment',
          text: 'x',
          private: false,
        }),
      ).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(
        await uc.execute({
          actor: ActorMother.of(cast.outsider),
          applicationId: 'nope',
          note: 'comment',
          text: 'x',
          private: false,
        }),
      ).code,
    ).to.equal('APPLICATION.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });
  it('refuses a comment, private or not, by those who only read the application: auditor, IT Office, service admin', async () => {
    const { hall, uc, a } = setup();
    const before = hall.db.dump();
    for (const reader of [cast.auditor, cast.itOffice, cast.admin])
      for (const isPrivate of [true, false]) {
        const refused = failure(
          await uc.execute({
            actor: ActorMother.of(reader),
            applicationId: a.id,
            note: 'comment',
            text: '审计意见',
            private: isPrivate,
          }),
        );
        expect([refused.kind, refused.code], `${reader.name}, private: ${isPrivate}`).to.deep.equal([
          'not-allowed',
          'APPLICATION.COMMENT_NOT_ALLOWED',
        ]);
      }
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('lets a handler offered the open step through their role comment, before anyone claimed it', async () => {
    const { uc, a } = setup();
    const view = value(
      await uc.execute({
        actor: ActorMother.of(cast.colleague),
        applicationId: a.id,
        note: 'comment',
        text: '已转',
        private: false,
      }),
    );
    expect(view.recorded.map((h) => h.comment)).to.deep.equal(['已转']);
  });
});

describe('NoteApplicationUseCase: urging (催办)', () => {
  it('tells every holder of the current pool, in the transaction of the urge, with a link to the application', async () => {
    const { hall, uc, a } = setup();
    const view = value(await urge(uc, cast.applicant, a.id));
    expect(view.recorded.map((h) => h.action)).to.deep.equal(['urged']);
    const told = hall.db.state.notifications;
    expect(told.map((n) => n.recipientId).sort()).to.deep.equal([cast.handler.id, cast.colleague.id]);
    expect(told[0]).to.deep.include({
      kind: 'urge',
      applicationId: a.id,
      taskId: openTask(a, 'check').id,
      emailStatus: null,
    });
    expect(told[0]!.subject).to.equal('【催办】差旅费报销 2026-CW-000001');
    expect(told[0]!.body).to.contain(`${hall.publicUrl}/api/v1/applications/${a.id}`).and.contain('财务审核');
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['application.urged']);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.applicant.id,
      caseNumber: '2026-CW-000001',
      holders: [{ role: 'handler', unit: 'finance' }],
    });
  });

  it('tells only the person holding a claimed task', async () => {
    const { hall, uc, stored } = setup();
    const claimed = stored((w) => {
      const x = ApplicationMother.submitted(w, { caseNumber: '2026-CW-000002' });
      x.claim(openTask(x, 'check').id, cast.handler.id, true, new Date('2026-11-24T00:00:00Z'));
      return x;
    });
    value(await urge(uc, cast.applicant, claimed.id));
    expect(hall.db.state.notifications.map((n) => n.recipientId)).to.deep.equal([cast.handler.id]);
  });

  it('never tells the person who urges, even when they hold the pool', async () => {
    const { hall, uc, a } = setup();
    hall.seed.grant(cast.admin.id, 'handler', 'finance');
    value(await urge(uc, cast.admin, a.id));
    expect(hall.db.state.notifications.map((n) => n.recipientId).sort()).to.deep.equal([
      cast.handler.id,
      cast.colleague.id,
    ]);
  });

  it(`refuses a second urge by the same person within ${URGE_WINDOW_MINUTES} minutes, and takes one after`, async () => {
    const { hall, uc, a } = setup();
    value(await urge(uc, cast.applicant, a.id));
    hall.clock.advance({ minutes: URGE_WINDOW_MINUTES - 1 });
    const before = hall.db.dump();
    expect(failure(await urge(uc, cast.applicant, a.id)).code).to.equal('APPLICATION.URGED_RECENTLY');
    expect(hall.db.dump()).to.deep.equal(before);
    hall.clock.advance({ minutes: 1 });
    value(await urge(uc, cast.applicant, a.id));
    expect(hall.db.state.notifications).to.have.length(4);
  });

  it("lets the owning unit's service admin urge, but not another reader such as a handler", async () => {
    const { hall, uc, a } = setup();
    value(await urge(uc, cast.admin, a.id));
    expect(failure(await urge(uc, cast.handler, a.id)).code).to.equal('APPLICATION.URGE_NOT_ALLOWED');
    expect(failure(await urge(uc, cast.auditor, a.id)).code).to.equal('APPLICATION.URGE_NOT_ALLOWED');
    expect(hall.audit.map((e) => e.actorId)).to.deep.equal([cast.admin.id]);
  });

  it('refuses to urge an application that is not in progress', async () => {
    const { uc, stored } = setup();
    const draft = stored((w) => ApplicationMother.draft(w));
    expect(failure(await urge(uc, cast.applicant, draft.id)).code).to.equal('APPLICATION.NOT_IN_PROGRESS');
  });
});
