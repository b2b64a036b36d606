import { expect } from 'chai';
import { RequestChangeUseCase } from '../../../../src/application/service-items/request-change.use-case.js';
import type { ConflictError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

const admin = ActorMother.of(cast.admin);

function setup() {
  const s = hallWithItem();
  return { ...s, uc: new RequestChangeUseCase(s.hall) };
}

describe('RequestChangeUseCase (变更)', () => {
  it('opens the next draft as a copy of the online version, with the reason; the online one keeps serving', async () => {
    const { hall, uc, item, version, definition } = setup();
    const view = value(await uc.execute({ actor: admin, itemId: item.id, reason: '增加发票号' }));
    expect(view).to.deep.include({
      itemId: item.id,
      number: 2,
      state: 'draft',
      changeReason: '增加发票号',
      definition,
      confirmations: [],
    });
    expect(hall.db.state.serviceVersions.get(version.id)!.state).to.equal('online');
    expect(hall.db.state.serviceItems.get(item.id)!.onlineVersionId).to.equal(version.id);
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.unit])).to.deep.equal([
      ['service-item.change-requested', 'service-version', view.id, 'finance'],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.admin.id,
      itemId: item.id,
      number: 2,
      reason: '增加发票号',
    });
  });

  it('lets a second open draft fail the transaction, keeping nothing', async () => {
    const { hall, uc, item } = setup();
    hall.seed.version(ServiceVersionMother.draft({ itemId: item.id, number: 2 }));
    const before = hall.db.dump();
    let thrown: unknown;
    try {
      await uc.execute({ actor: admin, itemId: item.id, reason: 'again' });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as ConflictError).code).to.equal('SERVICE_VERSION.DRAFT_EXISTS');
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it("refuses an item that is not online, and anyone but its unit's admins", async () => {
    const { hall, uc, item } = setup();
    const building = ServiceItemMother.building();
    hall.seed.item(building);
    expect(failure(await uc.execute({ actor: admin, itemId: building.id, reason: 'x' })).code).to.equal(
      'SERVICE_ITEM.REQUEST_CHANGE_NOT_ALLOWED',
    );
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.handler), itemId: item.id, reason: 'x' })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.itOffice), itemId: item.id, reason: 'x' })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(hall.audit).to.deep.equal([]);
  });
});
