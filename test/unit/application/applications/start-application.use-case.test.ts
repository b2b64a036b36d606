import { expect } from 'chai';
import { StartApplicationUseCase } from '../../../../src/application/applications/start-application.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { ServiceItemMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

const form = { amount: 1280.5, purpose: '赴京参会' };

function setup(o: Parameters<typeof hallWithItem>[0] = {}) {
  const s = hallWithItem(o);
  return { ...s, uc: new StartApplicationUseCase(s.hall) };
}

describe('StartApplicationUseCase', () => {
  it('submits: a case number of the owning unit, the first step offered to its pool with a due date, on the online version', async () => {
    const { hall, uc, item, version } = setup();
    const view = value(
      await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true }),
    );
    expect(view).to.deep.include({
      state: 'in_progress',
      activeNode: 'check',
      caseNumber: '2026-CW-000001',
      itemId: item.id,
      versionId: version.id,
      applicantId: cast.applicant.id,
    });
    expect(view.currentTasks).to.have.length(1);
    expect(view.currentTasks[0]).to.deep.include({
      node: 'check',
      assignee: null,
      candidate: { role: 'handler', unit: 'finance' },
      dueAt: '2026-12-01T15:59:59.999Z',
    });
    const stored = hall.stored(view.id);
    expect(stored.props).to.deep.include({ state: 'in_progress', caseNumber: '2026-CW-000001', lockVersion: 1 });
    expect(stored.history.map((h) => h.action)).to.deep.equal(['saved', 'submitted', 'node-activated']);
    expect(hall.formValidator.keys, 'validated against the version it binds to').to.deep.equal([version.id]);
  });

  it('records the submission in the audit log and the outbox, in the same commit', async () => {
    const { hall, uc, item, version } = setup();
    const view = value(
      await uc.execute({ actor: ActorMother.of(cast.applicant, 'req-42'), itemId: item.id, form, submit: true }),
    );
    expect(hall.uow.outcomes).to.deep.equal(['committed']);
    expect(hall.audit).to.have.length(1);
    expect(hall.audit[0]).to.deep.include({
      actorId: cast.applicant.id,
      action: 'application.submitted',
      entityType: 'application',
      entityId: view.id,
      unit: 'finance',
      requestId: 'req-42',
      before: null,
      after: { state: 'in_progress', activeNode: 'check' },
      at: hall.clock.now(),
    });
    expect(hall.outbox).to.deep.equal([
      {
        topic: 'application.submitted',
        aggregateType: 'application',
        aggregateId: view.id,
        at: hall.clock.now(),
        payload: { actor: cast.applicant.id, itemId: item.id, versionId: version.id, caseNumber: '2026-CW-000001' },
      },
    ]);
  });

  it('saves a draft without checking its form or numbering it', async () => {
    const { hall, uc, item } = setup();
    const view = value(
      await uc.execute({
        actor: ActorMother.of(cast.applicant),
        itemId: item.id,
        form: { amount: 'lots' },
        submit: false,
      }),
    );
    expect(view).to.deep.include({ state: 'draft', caseNumber: null, activeNode: null, currentTasks: [] });
    expect(hall.formValidator.keys).to.deep.equal([]);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['application.drafted']);
    expect(hall.db.state.caseNumbers.size).to.equal(0);
  });

  it('numbers the applications of a unit one after the other', async () => {
    const { uc, item } = setup();
    const first = value(
      await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true }),
    );
    const second = value(
      await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true }),
    );
    expect([first.caseNumber, second.caseNumber]).to.deep.equal(['2026-CW-000001', '2026-CW-000002']);
  });

  it('refuses an invalid form naming each field under /form, and keeps nothing', async () => {
    const { hall, uc, item } = setup();
    const before = hall.db.dump();
    const e = failure(
      await uc.execute({
        actor: ActorMother.of(cast.applicant),
        itemId: item.id,
        form: { amount: -1, extra: true },
        submit: true,
      }),
    ) as InputError;
    expect(e.code).to.equal('APPLICATION.INVALID_FORM');
    expect(e.problems.map((p) => p.path)).to.deep.equal(['/form/amount']);
    expect(hall.db.dump()).to.deep.equal(before);
    expect(hall.uow.outcomes).to.deep.equal(['rolled back']);
  });

  it('refuses an item that does not exist or is not in the catalogue', async () => {
    const { hall, uc } = setup();
    const building = ServiceItemMother.building();
    hall.seed.item(building);
    const before = hall.db.dump();
    expect(
      failure(
        await uc.execute({
          actor: ActorMother.of(cast.applicant),
          itemId: globalThis.crypto.randomUUID(),
          form,
          submit: true,
        }),
      ).code,
    ).to.equal('SERVICE_ITEM.NOT_FOUND');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: building.id, form, submit: false }))
        .code,
    ).to.equal('SERVICE_ITEM.NOT_ONLINE');
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('still accepts applications while the item waits to go offline', async () => {
    const { hall, uc, item } = setup();
    hall.db.state.serviceItems.get(item.id)!.state = 'offboarding_pending';
    expect(
      value(await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true })).state,
    ).to.equal('in_progress');
  });

  it('refuses people who are not active, before touching anything', async () => {
    const { hall, uc, item } = setup();
    const graduated = PersonMother.student({ status: 'left' });
    hall.seed.people(graduated);
    expect(
      failure(await uc.execute({ actor: ActorMother.of(graduated), itemId: item.id, form, submit: true })).code,
    ).to.equal('AUTH.ACCOUNT_DISABLED');
    expect(
      failure(await uc.execute({ actor: ActorMother.of('nobody'), itemId: item.id, form, submit: true })).code,
    ).to.equal('AUTH.ACCOUNT_DISABLED');
    expect(hall.uow.outcomes).to.deep.equal([]);
  });

  describe('resolves who handles each step', () => {
    it("offers a step on the applicant's own unit to that unit's pool", async () => {
      const definition = ProcessDefinitionMother.create({
        steps: [NodeMother.review({ key: 'counsel', handlers: HandlersMother.role('counselor', '$applicant.unit') })],
      });
      const { hall, uc, item } = setup({ definition });
      const counselor = PersonMother.staff({ unit: 'college-info' });
      hall.seed.people(counselor);
      hall.seed.grant(counselor.id, 'counselor', 'college-info');
      const view = value(
        await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true }),
      );
      expect(view.currentTasks.map((t) => t.candidate)).to.deep.equal([{ role: 'counselor', unit: 'college-info' }]);
    });

    it("gives a named handler's task to their substitute while they are away", async () => {
      const definition = ProcessDefinitionMother.create({
        steps: [NodeMother.review({ key: 'check', handlers: HandlersMother.people(cast.handler.id) })],
      });
      const { hall, uc, item } = setup({ definition });
      hall.seed.absence({
        personId: cast.handler.id,
        substituteId: cast.colleague.id,
        from: '2026-11-27',
        to: '2026-11-30',
      });
      const view = value(
        await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true }),
      );
      expect(view.currentTasks.map((t) => [t.assignee, t.reason])).to.deep.equal([
        [cast.colleague.id, `SUBSTITUTE_FOR ${cast.handler.id}`],
      ]);
    });

    it('skips a step whose condition does not hold for the form', async () => {
      const definition = ProcessDefinitionMother.create({
        steps: [
          NodeMother.review({ key: 'big', condition: { '>': [{ var: 'form.amount' }, 5000] } }),
          NodeMother.review({ key: 'check' }),
        ],
      });
      const { uc, item } = setup({ definition });
      const view = value(
        await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true }),
      );
      expect(view.activeNode).to.equal('check');
      expect(view.recorded.filter((h) => h.action === 'node-skipped').map((h) => h.node)).to.deep.equal(['big']);
    });

    it("hands a step nobody active can take to the owning unit's service admins", async () => {
      const definition = ProcessDefinitionMother.create({
        steps: [NodeMother.review({ key: 'check', handlers: HandlersMother.role('department-head', 'finance') })],
      });
      const { uc, item } = setup({ definition });
      const view = value(
        await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id, form, submit: true }),
      );
      expect(view.currentTasks.map((t) => [t.candidate, t.reason])).to.deep.equal([
        [{ role: 'unit-service-admin', unit: 'finance' }, 'NO_HANDLER'],
      ]);
    });
  });
});
