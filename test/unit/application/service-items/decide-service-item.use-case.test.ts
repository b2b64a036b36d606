import { expect } from 'chai';
import { DecideServiceItemUseCase } from '../../../../src/application/service-items/decide-service-item.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const xb = ActorMother.of(cast.presidentOffice);
const it_ = ActorMother.of(cast.itOffice);

function setup(item = ServiceItemMother.pending()) {
  const hall = hallWithCast();
  hall.seed.item(item);
  return { hall, item, uc: new DecideServiceItemUseCase(hall) };
}

describe('DecideServiceItemUseCase', () => {
  it("records the first office's approval, and moves the item on with the second, each audited as what it was", async () => {
    const { hall, uc, item } = setup();
    expect(
      value(await uc.execute({ actor: xb, itemId: item.id, decision: 'approve', comment: '同意' })).state,
    ).to.equal('onboarding_pending');
    expect(value(await uc.execute({ actor: it_, itemId: item.id, decision: 'approve' })).state).to.equal('building');
    expect(hall.audit.map((e) => [e.action, e.actorId, e.unit])).to.deep.equal([
      ['service-item.onboarding-approval-recorded', cast.presidentOffice.id, 'finance'],
      ['service-item.onboarding-approved', cast.itOffice.id, 'finance'],
    ]);
    expect(hall.outbox.map((e) => e.payload)).to.deep.equal([
      { actor: cast.presidentOffice.id, office: 'president-office', state: 'onboarding_pending' },
      { actor: cast.itOffice.id, office: 'it-office', state: 'building' },
    ]);
    expect(hall.db.state.serviceItems.get(item.id)).to.deep.include({ state: 'building', lockVersion: 3 });
  });

  it('rejects with a reason, back to the unit', async () => {
    const { hall, uc, item } = setup();
    const view = value(await uc.execute({ actor: it_, itemId: item.id, decision: 'reject', reason: '材料不全' }));
    expect(view).to.deep.include({
      state: 'onboarding_rejected',
      rejection: {
        office: 'it-office',
        by: cast.itOffice.id,
        at: hall.clock.now().toISOString(),
        reason: '材料不全',
        phase: 'onboarding',
      },
    });
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['service-item.onboarding-rejected']);
  });

  it('decides offboarding the same way: both approvals take the item offline', async () => {
    const { hall, uc, item } = setup(
      ServiceItemMother.offboardingPending({ onlineVersionId: globalThis.crypto.randomUUID() }),
    );
    value(await uc.execute({ actor: it_, itemId: item.id, decision: 'approve' }));
    expect(value(await uc.execute({ actor: xb, itemId: item.id, decision: 'approve' })).state).to.equal('offline');
    expect(hall.audit.map((e) => e.action)).to.deep.equal([
      'service-item.offboarding-approval-recorded',
      'service-item.offboarding-approved',
    ]);
  });

  it('refuses anyone outside the two offices, before looking at the item', async () => {
    const { hall, uc, item } = setup();
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, decision: 'approve' })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.auditor), itemId: 'unknown', decision: 'approve' })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(hall.uow.outcomes).to.deep.equal([]);
  });

  it('makes someone in both offices say which one acts, and refuses an office they do not hold', async () => {
    const { hall, uc, item } = setup();
    hall.seed.grant(cast.itOffice.id, 'president-office', '*');
    const e = failure(await uc.execute({ actor: it_, itemId: item.id, decision: 'approve' })) as InputError;
    expect([e.code, e.problems]).to.deep.equal([
      'SERVICE_ITEM.OFFICE_REQUIRED',
      [{ path: '/as', message: 'one of it-office, president-office' }],
    ]);
    expect(
      failure(await uc.execute({ actor: xb, itemId: item.id, decision: 'approve', as: 'it-office' })).code,
    ).to.equal('SERVICE_ITEM.NOT_OFFICE_MEMBER');
    expect(
      value(
        await uc.execute({ actor: it_, itemId: item.id, decision: 'approve', as: 'president-office' }),
      ).approvals.map((a) => a.office),
    ).to.deep.equal(['president-office']);
  });

  it('refuses a second approval by one office, a decision out of turn, and an unknown item, changing nothing', async () => {
    const { hall, uc, item } = setup();
    const building = ServiceItemMother.building();
    hall.seed.item(building);
    value(await uc.execute({ actor: xb, itemId: item.id, decision: 'approve' }));
    const before = hall.db.dump();
    expect(failure(await uc.execute({ actor: xb, itemId: item.id, decision: 'approve' })).code).to.equal(
      'SERVICE_ITEM.ALREADY_APPROVED',
    );
    expect(
      failure(await uc.execute({ actor: xb, itemId: building.id, decision: 'reject', reason: 'x' })).code,
    ).to.equal('SERVICE_ITEM.REJECT_NOT_ALLOWED');
    expect(
      failure(await uc.execute({ actor: xb, itemId: globalThis.crypto.randomUUID(), decision: 'approve' })).code,
    ).to.equal('SERVICE_ITEM.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});
