import { expect } from 'chai';
import { RequestOffboardingUseCase } from '../../../../src/application/service-items/request-offboarding.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

describe('RequestOffboardingUseCase (下线申请)', () => {
  it('asks both offices to take the item offline; it keeps serving meanwhile', async () => {
    const { hall, item } = hallWithItem();
    const uc = new RequestOffboardingUseCase(hall);
    const view = value(
      await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, reason: '并入财务平台' }),
    );
    expect(view).to.deep.include({
      state: 'offboarding_pending',
      offboardingReason: '并入财务平台',
      onlineVersionId: item.onlineVersionId,
    });
    expect(hall.db.state.serviceItems.get(item.id)).to.deep.include({
      state: 'offboarding_pending',
      offboardingReason: '并入财务平台',
    });
    expect(hall.audit.map((e) => [e.action, e.entityId, (e.before as { state: string }).state])).to.deep.equal([
      ['service-item.offboarding-requested', item.id, 'online'],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({ actor: cast.admin.id, reason: '并入财务平台' });
  });

  it("refuses an item that is not online, anyone but its unit's admins (readers included), and an unknown item, changing nothing", async () => {
    const { hall, item } = hallWithItem();
    const building = ServiceItemMother.building();
    hall.seed.item(building);
    const uc = new RequestOffboardingUseCase(hall);
    const before = hall.db.dump();
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: building.id, reason: 'x' })).code,
    ).to.equal('SERVICE_ITEM.REQUEST_OFFBOARDING_NOT_ALLOWED');
    for (const who of [cast.aaAdmin, cast.itOffice, cast.auditor]) {
      expect(
        failure(await uc.execute({ actor: ActorMother.of(who), itemId: item.id, reason: 'x' })).code,
        who.id,
      ).to.equal('AUTH.FORBIDDEN');
    }
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: 'unknown', reason: 'x' })).code,
    ).to.equal('SERVICE_ITEM.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});
