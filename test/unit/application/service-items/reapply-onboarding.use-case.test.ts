import { expect } from 'chai';
import { ReapplyOnboardingUseCase } from '../../../../src/application/service-items/reapply-onboarding.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

function setup() {
  const hall = hallWithCast();
  const item = ServiceItemMother.rejected();
  hall.seed.item(item);
  return { hall, item, uc: new ReapplyOnboardingUseCase(hall) };
}

describe('ReapplyOnboardingUseCase', () => {
  it('files the revised application again: a new round of both approvals, audited before and after', async () => {
    const { hall, uc, item } = setup();
    const view = value(
      await uc.execute({
        actor: ActorMother.of(cast.admin),
        itemId: item.id,
        revision: { name: '差旅费报销（修订）', involvedUnits: ['academic-affairs'] },
      }),
    );
    expect(view).to.deep.include({
      state: 'onboarding_pending',
      name: '差旅费报销（修订）',
      involvedUnits: ['finance', 'academic-affairs'],
      approvals: [],
    });
    expect(hall.db.state.serviceItems.get(item.id)).to.deep.include({
      state: 'onboarding_pending',
      name: '差旅费报销（修订）',
      lockVersion: 2,
    });
    expect(
      hall.audit.map((e) => [e.action, (e.before as { state: string }).state, (e.after as { state: string }).state]),
    ).to.deep.equal([['service-item.onboarding-reapplied', 'onboarding_rejected', 'onboarding_pending']]);
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal(['service-item.onboarding-reapplied']);
  });

  it("refuses a revision naming an unknown unit, an item not rejected, another unit's item and an unknown one, changing nothing", async () => {
    const { hall, uc, item } = setup();
    const pending = ServiceItemMother.pending();
    hall.seed.item(pending);
    const before = hall.db.dump();
    const e = failure(
      await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, revision: { involvedUnits: ['mars'] } }),
    ) as InputError;
    expect([e.code, e.problems.map((p) => p.path)]).to.deep.equal([
      'SERVICE_ITEM.INVALID_APPLICATION',
      ['/involvedUnits/0'],
    ]);
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: pending.id, revision: {} })).code,
    ).to.equal('SERVICE_ITEM.REAPPLY_NOT_ALLOWED');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.aaAdmin), itemId: item.id, revision: {} })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: 'unknown', revision: {} })).code,
    ).to.equal('SERVICE_ITEM.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});
