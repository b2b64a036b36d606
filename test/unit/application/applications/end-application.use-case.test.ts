import { expect } from 'chai';
import { EndApplicationUseCase } from '../../../../src/application/applications/end-application.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother, engineContextFor } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const applicant = ActorMother.of(cast.applicant);

function setup(definition = ProcessDefinitionMother.create()) {
  const s = hallWithItem({ definition });
  return { ...s, uc: new EndApplicationUseCase(s.hall) };
}

describe('EndApplicationUseCase', () => {
  it('withdraws (撤回) an application nobody has acted on: every live task closes, audited with the change', async () => {
    const { hall, uc, submitted } = setup();
    const a = submitted();
    const view = value(await uc.execute({ actor: applicant, applicationId: a.id, how: 'withdraw' }));
    expect(view).to.deep.include({ state: 'withdrawn', activeNode: null, currentTasks: [] });
    expect(hall.stored(a.id).props.tasks.map((t) => t.status)).to.deep.equal(['cancelled']);
    expect(hall.audit.map((e) => [e.action, e.actorId, e.before, e.after])).to.deep.equal([
      [
        'application.withdrawn',
        cast.applicant.id,
        { state: 'in_progress', activeNode: 'check' },
        { state: 'withdrawn' },
      ],
    ]);
    expect(hall.outbox.map((e) => [e.topic, e.payload])).to.deep.equal([
      ['application.withdrawn', { actor: cast.applicant.id, caseNumber: '2026-CW-000001' }],
    ]);
  });

  it('cancels (撤销) with a reason, which the history keeps', async () => {
    const { hall, uc, submitted } = setup();
    const a = submitted();
    value(await uc.execute({ actor: applicant, applicationId: a.id, how: 'cancel', reason: '行程取消' }));
    expect(hall.stored(a.id).history.at(-1)).to.deep.include({
      action: 'cancelled',
      comment: '行程取消',
      actor: cast.applicant.id,
    });
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['application.cancelled']);
  });

  it('refuses a withdrawal once a handler acted on the current step, and anyone but the applicant, changing nothing', async () => {
    const countersign = ProcessDefinitionMother.create({
      steps: [
        NodeMother.approve({
          key: 'sign',
          handlers: HandlersMother.people(cast.handler.id, cast.colleague.id),
          mode: 'all',
        }),
      ],
    });
    const { hall, uc, stored } = setup(countersign);
    const a = stored((w) => {
      const app = ApplicationMother.submitted(w);
      app.approve(
        openTask(app, 'sign', cast.handler.id).id,
        cast.handler.id,
        '同意',
        engineContextFor(w, new Date('2026-11-24T00:00:00Z')),
      );
      return app;
    });
    const before = hall.db.dump();
    expect(failure(await uc.execute({ actor: applicant, applicationId: a.id, how: 'withdraw' })).code).to.equal(
      'APPLICATION.HANDLER_ALREADY_ACTED',
    );
    expect(
      failure(
        await uc.execute({ actor: ActorMother.of(cast.handler), applicationId: a.id, how: 'cancel', reason: 'x' }),
      ).code,
    ).to.equal('APPLICATION.NOT_APPLICANT');
    expect(hall.db.dump()).to.deep.equal(before);
    expect(hall.uow.outcomes).to.deep.equal(['rolled back', 'rolled back']);
  });

  it('refuses to cancel a draft or end an unknown application', async () => {
    const { uc, stored } = setup();
    const draft = stored((w) => ApplicationMother.draft(w));
    expect(
      failure(await uc.execute({ actor: applicant, applicationId: draft.id, how: 'cancel', reason: 'x' })).code,
    ).to.equal('APPLICATION.NOT_CANCELLABLE');
    expect(
      failure(await uc.execute({ actor: applicant, applicationId: globalThis.crypto.randomUUID(), how: 'withdraw' }))
        .code,
    ).to.equal('APPLICATION.NOT_FOUND');
  });
});
