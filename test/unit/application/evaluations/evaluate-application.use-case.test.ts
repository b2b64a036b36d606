import { expect } from 'chai';
import { EvaluateApplicationUseCase } from '../../../../src/application/evaluations/evaluate-application.use-case.js';
import type { RatingLevel } from '../../../../src/domain/evaluation/evaluation.entity.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

const applicant = ActorMother.of(cast.applicant);

function setup() {
  const s = hallWithItem();
  const done = s.stored((w) => ApplicationMother.completed(w));
  const uc = new EvaluateApplicationUseCase(s.hall);
  const rate = (level: number, comment?: string, applicationId = done.id) =>
    uc.execute({ actor: applicant, applicationId, level: level as RatingLevel, comment });
  return { ...s, done, uc, rate };
}

describe('EvaluateApplicationUseCase (好差评)', () => {
  it('keeps a satisfied rating of a completed application, audited with it', async () => {
    const { hall, done, item, rate } = setup();
    expect(value(await rate(4, '办理及时'))).to.deep.equal({
      applicationId: done.id,
      level: 4,
      comment: '办理及时',
      changes: 0,
      followUp: null,
    });
    expect(hall.db.state.evaluations.get(done.id)).to.deep.include({
      level: 4,
      owningUnit: 'finance',
      applicantId: cast.applicant.id,
    });
    expect(hall.db.state.followUps.size).to.equal(0);
    expect(hall.audit.map((e) => [e.action, e.entityId, e.unit, e.before])).to.deep.equal([
      ['evaluation.rated', done.id, 'finance', null],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.applicant.id,
      level: 4,
      itemId: item.id,
      followUpId: null,
    });
  });

  it('opens a follow-up (整改) for the owning unit on a bad rating, due in 15 working days', async () => {
    const { hall, done, rate } = setup();
    const r = value(await rate(2, '太慢'));
    expect(r.followUp).to.deep.include({ status: 'open', dueAt: '2026-12-18T15:59:59.999Z' });
    expect(hall.db.state.followUps.get(r.followUp!.id)).to.deep.include({
      applicationId: done.id,
      owningUnit: 'finance',
      level: 2,
      comment: '太慢',
      status: 'open',
    });
    expect(hall.outbox[0]!.payload).to.deep.include({ followUpId: r.followUp!.id });
  });

  it('withdraws the open follow-up when the rating changes to a satisfied one, once', async () => {
    const { hall, rate } = setup();
    const bad = value(await rate(1));
    hall.clock.advance({ days: 2 });
    const changed = value(await rate(5, '已整改'));
    expect([changed.changes, changed.followUp!.id, changed.followUp!.status]).to.deep.equal([
      1,
      bad.followUp!.id,
      'withdrawn',
    ]);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['evaluation.rated', 'evaluation.changed']);
    expect((hall.audit[1]!.before as { level: number }).level).to.equal(1);
  });

  it('opens no second follow-up when a bad rating changes to another bad one', async () => {
    const { hall, rate } = setup();
    const first = value(await rate(2));
    expect(value(await rate(1)).followUp!.id).to.equal(first.followUp!.id);
    expect(hall.db.state.followUps.size).to.equal(1);
  });

  it('refuses a second change, and a change after the window, changing nothing', async () => {
    const { hall, rate } = setup();
    value(await rate(3));
    hall.clock.advance({ days: hall.evaluationChangeWindowDays + 1 });
    const before = hall.db.dump();
    expect(failure(await rate(2)).code).to.equal('EVALUATION.CHANGE_WINDOW_CLOSED');
    expect(hall.db.dump()).to.deep.equal(before);
    hall.clock.set('2026-11-28T00:00:00Z');
    value(await rate(4));
    expect(failure(await rate(5)).code).to.equal('EVALUATION.ALREADY_CHANGED');
  });

  it('refuses anyone but the applicant, an application not completed, a level outside 1..5 and an unknown application', async () => {
    const { hall, uc, done, rate, submitted } = setup();
    const running = submitted();
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.handler), applicationId: done.id, level: 5 })).code,
    ).to.equal('EVALUATION.NOT_APPLICANT');
    expect(failure(await rate(5, undefined, running.id)).code).to.equal('EVALUATION.NOT_COMPLETED');
    expect(failure(await rate(6)).code).to.equal('EVALUATION.BAD_LEVEL');
    expect(failure(await rate(5, undefined, 'unknown')).code).to.equal('APPLICATION.NOT_FOUND');
    expect([hall.db.state.evaluations.size, hall.audit.length]).to.deep.equal([0, 0]);
  });
});
