import { expect } from 'chai';
import { GetServiceItemUseCase } from '../../../../src/application/service-items/get-service-item.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

/** An offline item of finance with academic affairs involved, and its two versions. */
function setup() {
  const hall = hallWithCast();
  const v1Id = globalThis.crypto.randomUUID();
  const item = ServiceItemMother.create({
    state: 'offline',
    onlineVersionId: v1Id,
    involvedUnits: ['finance', 'academic-affairs'],
  });
  hall.seed.item(item);
  hall.seed.version(ServiceVersionMother.draft({ itemId: item.id, number: 2 }));
  hall.seed.version(ServiceVersionMother.online({ id: v1Id, itemId: item.id, number: 1 }));
  return { hall, item, uc: new GetServiceItemUseCase(hall) };
}

describe('GetServiceItemUseCase', () => {
  it('shows the item with all its versions, in number order, even offline', async () => {
    const { uc, item } = setup();
    const view = value(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id }));
    expect(view).to.deep.include({ id: item.id, state: 'offline', allowedCommands: [] });
    expect(view.versions.map((v) => [v.number, v.state])).to.deep.equal([
      [1, 'online'],
      [2, 'draft'],
    ]);
  });

  it('lets read the admins of every involved unit and the global offices and auditors, and nobody else', async () => {
    const { uc, item } = setup();
    for (const who of [cast.admin, cast.aaAdmin, cast.auditor, cast.itOffice, cast.presidentOffice]) {
      expect(value(await uc.execute({ actor: ActorMother.of(who), itemId: item.id })).id, who.id).to.equal(item.id);
    }
    expect(failure(await uc.execute({ actor: ActorMother.of(cast.handler), itemId: item.id })).code).to.equal(
      'AUTH.FORBIDDEN',
    );
    expect(failure(await uc.execute({ actor: ActorMother.of(cast.applicant), itemId: item.id })).code).to.equal(
      'AUTH.FORBIDDEN',
    );
  });

  it('answers an unknown item with SERVICE_ITEM.NOT_FOUND, whoever asks', async () => {
    const { uc } = setup();
    expect(failure(await uc.execute({ actor: ActorMother.of(cast.handler), itemId: 'unknown' })).code).to.equal(
      'SERVICE_ITEM.NOT_FOUND',
    );
  });
});
