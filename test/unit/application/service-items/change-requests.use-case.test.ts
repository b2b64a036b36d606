import { expect } from 'chai';
import { ChangeRequestsUseCase } from '../../../../src/application/service-items/change-requests.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

const admin = ActorMother.of(cast.admin);
const itOffice = ActorMother.of(cast.itOffice);
const NEEDS = [{ aspect: 'form' as const, description: '增加发票号，必填' }];

function setup() {
  const s = hallWithItem();
  return { ...s, uc: new ChangeRequestsUseCase(s.hall) };
}

describe('ChangeRequestsUseCase (变更申请, Art. 11)', () => {
  it('filing: the request waits for the IT Office, the item stays in the catalogue as change_pending, and no draft opens', async () => {
    const { hall, uc, item } = setup();
    const view = value(await uc.file({ actor: admin, itemId: item.id, reason: '报销新规', needs: NEEDS }));
    expect(view).to.deep.include({
      itemId: item.id,
      itemCode: 'CW-CLBX',
      unit: 'finance',
      state: 'pending',
      reason: '报销新规',
      needs: NEEDS,
      requestedBy: cast.admin.id,
      decision: null,
      versionId: null,
    });
    expect(hall.db.state.serviceItems.get(item.id)!.state).to.equal('change_pending');
    expect([...hall.db.state.serviceVersions.values()].filter((v) => v.state === 'draft')).to.deep.equal([]);
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.unit])).to.deep.equal([
      ['service-item.change-requested', 'service-item', item.id, 'finance'],
    ]);
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal(['service-item.change-requested']);
    expect(hall.db.state.notifications.map((n) => [n.recipientId, n.kind])).to.deep.equal([
      [cast.itOffice.id, 'change-request.filed'],
    ]);
  });

  it('accepted by the IT Office: the draft opens as a copy of the online version, and the requester is told', async () => {
    const { hall, uc, item, version, definition } = setup();
    const filed = value(await uc.file({ actor: admin, itemId: item.id, reason: '报销新规', needs: NEEDS }));
    const decided = value(
      await uc.decide({ actor: itOffice, requestId: filed.id, decision: 'accept', comment: '同意' }),
    );
    expect(decided).to.deep.include({ state: 'accepted' });
    expect(decided.decision).to.deep.include({ by: cast.itOffice.id, comment: '同意' });
    const draft = hall.db.state.serviceVersions.get(decided.versionId!)!;
    expect(draft).to.deep.include({ state: 'draft', number: 2, changeReason: '报销新规', createdBy: cast.admin.id });
    expect(draft.definition).to.deep.equal(definition);
    expect(hall.db.state.serviceVersions.get(version.id)!.state).to.equal('online');
    expect(hall.db.state.serviceItems.get(item.id)!.state).to.equal('online');
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal([
      'service-item.change-requested',
      'service-item.change-accepted',
    ]);
    expect(hall.outbox[1]!.payload).to.deep.include({ changeRequestId: filed.id, versionId: draft.id, number: 2 });
    expect(hall.db.state.notifications.at(-1)).to.deep.include({
      recipientId: cast.admin.id,
      kind: 'change-request.decided',
    });
  });

  it('refused by the IT Office: no draft, the item is online again, the reason reaches the requester', async () => {
    const { hall, uc, item } = setup();
    const filed = value(await uc.file({ actor: admin, itemId: item.id, reason: '报销新规', needs: NEEDS }));
    const decided = value(
      await uc.decide({ actor: itOffice, requestId: filed.id, decision: 'refuse', reason: '与财务一体化平台重复' }),
    );
    expect(decided).to.deep.include({ state: 'refused', versionId: null });
    expect(decided.decision?.comment).to.equal('与财务一体化平台重复');
    expect([...hall.db.state.serviceVersions.values()].map((v) => v.state)).to.deep.equal(['online']);
    expect(hall.db.state.serviceItems.get(item.id)!.state).to.equal('online');
    expect(hall.db.state.notifications.at(-1)!.body).to.include('与财务一体化平台重复');
    // decided once: a second decision is a conflict and changes nothing
    const before = hall.db.dump();
    expect(failure(await uc.decide({ actor: itOffice, requestId: filed.id, decision: 'accept' })).code).to.equal(
      'CHANGE_REQUEST.ALREADY_DECIDED',
    );
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('only the IT Office decides: the unit admin, the President’s Office and the auditor are refused, nothing changes', async () => {
    const { hall, uc, item } = setup();
    const filed = value(await uc.file({ actor: admin, itemId: item.id, reason: 'r', needs: NEEDS }));
    const before = hall.db.dump();
    for (const who of [cast.admin, cast.presidentOffice, cast.auditor])
      expect(
        failure(await uc.decide({ actor: ActorMother.of(who), requestId: filed.id, decision: 'accept' })).code,
        who.id,
      ).to.equal('AUTH.FORBIDDEN');
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('one change at a time: a second request while one is pending, or while a draft is open, is refused', async () => {
    const { hall, uc, item } = setup();
    value(await uc.file({ actor: admin, itemId: item.id, reason: 'r', needs: NEEDS }));
    expect(failure(await uc.file({ actor: admin, itemId: item.id, reason: 'again', needs: NEEDS })).code).to.equal(
      'SERVICE_ITEM.REQUEST_CHANGE_NOT_ALLOWED',
    );
    const other = hallWithItem();
    other.hall.seed.version(ServiceVersionMother.draft({ itemId: other.item.id, number: 2 }));
    const before = other.hall.db.dump();
    expect(
      failure(
        await new ChangeRequestsUseCase(other.hall).file({
          actor: admin,
          itemId: other.item.id,
          reason: 'r',
          needs: NEEDS,
        }),
      ).code,
    ).to.equal('SERVICE_VERSION.DRAFT_EXISTS');
    expect(other.hall.db.dump()).to.deep.equal(before);
    expect(hall.db.state.changeRequests.size).to.equal(1);
  });

  it('refuses an incomplete request naming each field, an item not online, and anyone but the unit’s admins', async () => {
    const { hall, uc, item } = setup();
    const e = failure(
      await uc.file({
        actor: admin,
        itemId: item.id,
        reason: ' ',
        needs: [{ aspect: 'form', description: '' }],
      }),
    );
    expect(e.code).to.equal('CHANGE_REQUEST.INVALID');
    expect((e as { problems?: Array<{ path: string }> }).problems?.map((p) => p.path)).to.deep.equal([
      '/reason',
      '/needs/0/description',
    ]);
    const building = ServiceItemMother.building();
    hall.seed.item(building);
    expect(failure(await uc.file({ actor: admin, itemId: building.id, reason: 'x', needs: NEEDS })).code).to.equal(
      'SERVICE_ITEM.REQUEST_CHANGE_NOT_ALLOWED',
    );
    for (const who of [cast.handler, cast.itOffice])
      expect(
        failure(await uc.file({ actor: ActorMother.of(who), itemId: item.id, reason: 'x', needs: NEEDS })).code,
      ).to.equal('AUTH.FORBIDDEN');
    expect(hall.audit).to.deep.equal([]);
    expect(hall.db.state.changeRequests.size).to.equal(0);
  });

  it('lists what each reader may see: the IT Office all, a unit admin their unit’s, others none', async () => {
    const { uc, item } = setup();
    const filed = value(await uc.file({ actor: admin, itemId: item.id, reason: 'r', needs: NEEDS }));
    const ids = async (actor: ReturnType<typeof ActorMother.of>) =>
      value(await uc.list({ actor, states: ['pending'], limit: 10 })).items.map((r) => r.id);
    expect(await ids(itOffice)).to.deep.equal([filed.id]);
    expect(await ids(admin)).to.deep.equal([filed.id]);
    expect(await ids(ActorMother.of(cast.aaAdmin))).to.deep.equal([]);
    expect(await ids(ActorMother.of(cast.applicant))).to.deep.equal([]);
    expect(value(await uc.list({ actor: itOffice, states: ['refused'], limit: 10 })).items).to.deep.equal([]);
    expect(failure(await uc.get({ actor: ActorMother.of(cast.aaAdmin), requestId: filed.id })).code).to.equal(
      'AUTH.FORBIDDEN',
    );
  });
});
