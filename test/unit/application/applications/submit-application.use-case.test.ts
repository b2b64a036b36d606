import { expect } from 'chai';
import { SubmitApplicationUseCase } from '../../../../src/application/applications/submit-application.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother, engineContextFor } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

function setup() {
  const s = hallWithItem();
  return { ...s, uc: new SubmitApplicationUseCase(s.hall) };
}

describe('SubmitApplicationUseCase', () => {
  it('submits a draft: numbered, at its first step, audited and announced with the change', async () => {
    const { hall, uc, stored } = setup();
    const draft = stored((w) => ApplicationMother.draft(w));
    const view = value(await uc.execute({ actor: ActorMother.of(cast.applicant), applicationId: draft.id }));
    expect(view).to.deep.include({ state: 'in_progress', activeNode: 'check', caseNumber: '2026-CW-000001' });
    expect(hall.stored(draft.id).props.lockVersion, 'saved once over the seeded row').to.equal(2);
    expect(hall.audit.map((e) => [e.action, e.actorId, e.unit, e.before, e.after])).to.deep.equal([
      [
        'application.submitted',
        cast.applicant.id,
        'finance',
        { state: 'draft', activeNode: null },
        { state: 'in_progress', activeNode: 'check' },
      ],
    ]);
    expect(hall.outbox.map((e) => [e.topic, e.aggregateId, e.payload])).to.deep.equal([
      [
        'application.submitted',
        draft.id,
        {
          actor: cast.applicant.id,
          itemId: draft.current.itemId,
          versionId: draft.current.versionId,
          caseNumber: '2026-CW-000001',
        },
      ],
    ]);
  });

  it('takes the new form given with the submission, and checks that one', async () => {
    const { hall, uc, stored } = setup();
    const draft = stored((w) => ApplicationMother.draft(w, { form: { purpose: 'no amount yet' } }));
    const view = value(
      await uc.execute({
        actor: ActorMother.of(cast.applicant),
        applicationId: draft.id,
        form: { amount: 99, purpose: '补交' },
      }),
    );
    expect(view.form).to.deep.equal({ amount: 99, purpose: '补交' });
    expect(hall.stored(draft.id).props.form).to.deep.equal({ amount: 99, purpose: '补交' });
  });

  it('resubmits a returned application under the case number it already has', async () => {
    const { hall, uc, stored } = setup();
    const returned = stored((w) => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-000007' });
      const ctx = engineContextFor(w, new Date('2026-11-24T02:00:00Z'));
      const task = openTask(a, 'check');
      a.claim(task.id, cast.handler.id, true, ctx.at);
      a.returnTo(task.id, cast.handler.id, 'applicant', '请补充发票', ctx);
      return a;
    });
    expect(returned.state).to.equal('returned');
    const view = value(
      await uc.execute({
        actor: ActorMother.of(cast.applicant),
        applicationId: returned.id,
        form: { amount: 10, invoice_no: 'F-1' },
      }),
    );
    expect(view).to.deep.include({ state: 'in_progress', caseNumber: '2026-CW-000007', activeNode: 'check' });
    expect(hall.db.state.caseNumbers.size, 'no number drawn').to.equal(0);
    expect(view.form).to.deep.equal({ amount: 10, invoice_no: 'F-1' });
  });

  it('refuses anyone but the applicant, and an unknown application, changing nothing', async () => {
    const { hall, uc, stored } = setup();
    const draft = stored((w) => ApplicationMother.draft(w));
    const before = hall.db.dump();
    expect(failure(await uc.execute({ actor: ActorMother.of(cast.handler), applicationId: draft.id })).code).to.equal(
      'APPLICATION.NOT_APPLICANT',
    );
    expect(
      failure(
        await uc.execute({ actor: ActorMother.of(cast.applicant), applicationId: globalThis.crypto.randomUUID() }),
      ).code,
    ).to.equal('APPLICATION.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('refuses an invalid form, keeping the draft as it was', async () => {
    const { hall, uc, stored } = setup();
    const draft = stored((w) => ApplicationMother.draft(w));
    const before = hall.db.dump();
    const e = failure(
      await uc.execute({ actor: ActorMother.of(cast.applicant), applicationId: draft.id, form: { amount: 'many' } }),
    ) as InputError;
    expect([e.code, e.problems.map((p) => p.path)]).to.deep.equal(['APPLICATION.INVALID_FORM', ['/form/amount']]);
    expect(hall.db.dump()).to.deep.equal(before);
    expect(hall.uow.outcomes).to.deep.equal(['rolled back']);
  });

  it('refuses an application already in progress, with or without a new form', async () => {
    const { hall, uc, submitted } = setup();
    const a = submitted();
    const before = hall.db.dump();
    expect(failure(await uc.execute({ actor: ActorMother.of(cast.applicant), applicationId: a.id })).code).to.equal(
      'APPLICATION.NOT_SUBMITTABLE',
    );
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.applicant), applicationId: a.id, form: { amount: 1 } }))
        .code,
    ).to.equal('APPLICATION.NOT_EDITABLE');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});
