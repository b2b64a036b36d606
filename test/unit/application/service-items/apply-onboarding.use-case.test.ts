import { expect } from 'chai';
import { ApplyOnboardingUseCase } from '../../../../src/application/service-items/apply-onboarding.use-case.js';
import type { ConflictError, InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { OnboardingApplicationMother, ServiceItemMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

function setup() {
  const hall = hallWithCast();
  return { hall, uc: new ApplyOnboardingUseCase(hall) };
}

describe('ApplyOnboardingUseCase (入驻申请)', () => {
  it("files the owning unit's application: pending both offices, the owning unit first among the involved", async () => {
    const { hall, uc } = setup();
    const application = OnboardingApplicationMother.create({ code: 'CW-CLBX', involvedUnits: ['academic-affairs'] });
    const view = value(await uc.execute({ actor: ActorMother.of(cast.admin, 'req-7'), application }));
    expect(view).to.deep.include({
      code: 'CW-CLBX',
      state: 'onboarding_pending',
      owningUnit: 'finance',
      involvedUnits: ['finance', 'academic-affairs'],
      createdBy: cast.admin.id,
    });
    expect(view.allowedCommands).to.deep.equal(['approve', 'reject']);
    expect(hall.db.state.serviceItems.get(view.id)).to.deep.include({ state: 'onboarding_pending', lockVersion: 1 });
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.unit, e.requestId, e.before])).to.deep.equal([
      ['service-item.onboarding-applied', 'service-item', view.id, 'finance', 'req-7', null],
    ]);
    expect(hall.audit[0]!.after).to.deep.include({ code: 'CW-CLBX', state: 'onboarding_pending' });
    expect(hall.outbox.map((e) => [e.topic, e.payload])).to.deep.equal([
      ['service-item.onboarding-applied', { actor: cast.admin.id, code: 'CW-CLBX', owningUnit: 'finance' }],
    ]);
  });

  it('refuses anyone but a service admin of the owning unit', async () => {
    const { hall, uc } = setup();
    const application = OnboardingApplicationMother.create();
    for (const who of [cast.handler, cast.aaAdmin, cast.itOffice]) {
      expect(failure(await uc.execute({ actor: ActorMother.of(who), application })).code, who.id).to.equal(
        'AUTH.FORBIDDEN',
      );
    }
    expect([hall.db.state.serviceItems.size, hall.audit.length]).to.deep.equal([0, 0]);
  });

  it('refuses an invalid application, naming every field', async () => {
    const { uc } = setup();
    const e = failure(
      await uc.execute({
        actor: ActorMother.of(cast.admin),
        application: OnboardingApplicationMother.create({ code: 'bad code', involvedUnits: ['mars'] }),
      }),
    ) as InputError;
    expect([e.code, e.problems.map((p) => p.path)]).to.deep.equal([
      'SERVICE_ITEM.INVALID_APPLICATION',
      ['/code', '/involvedUnits/0'],
    ]);
  });

  it('lets a taken code fail the transaction, keeping nothing', async () => {
    const { hall, uc } = setup();
    hall.seed.item(ServiceItemMother.building({ code: 'CW-CLBX' }));
    const before = hall.db.dump();
    let thrown: unknown;
    try {
      await uc.execute({
        actor: ActorMother.of(cast.admin),
        application: OnboardingApplicationMother.create({ code: 'CW-CLBX' }),
      });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as ConflictError).code).to.equal('SERVICE_ITEM.CODE_TAKEN');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});
