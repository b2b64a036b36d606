import { expect } from 'chai';
import { ConfirmVersionUseCase } from '../../../../src/application/service-items/confirm-version.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

/** A finance item being built with academic affairs involved, and its draft version. */
function setup() {
  const hall = hallWithCast();
  const item = ServiceItemMother.building({ involvedUnits: ['finance', 'academic-affairs'] });
  const draft = ServiceVersionMother.draft({ itemId: item.id });
  hall.seed.item(item);
  hall.seed.version(draft);
  return { hall, item, draft, uc: new ConfirmVersionUseCase(hall) };
}

describe('ConfirmVersionUseCase', () => {
  it("records an involved unit's confirmation, audited under that unit", async () => {
    const { hall, uc, item, draft } = setup();
    const view = value(await uc.execute({ actor: ActorMother.of(cast.aaAdmin), itemId: item.id, versionId: draft.id }));
    expect(view.confirmations).to.deep.equal([
      { unit: 'academic-affairs', by: cast.aaAdmin.id, at: hall.clock.now().toISOString() },
    ]);
    expect(hall.audit.map((e) => [e.action, e.entityId, e.unit])).to.deep.equal([
      ['service-version.confirmed', draft.id, 'academic-affairs'],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.aaAdmin.id,
      itemId: item.id,
      unit: 'academic-affairs',
    });
  });

  it('makes an admin of several involved units that have not confirmed name one, then takes the one left', async () => {
    const { hall, uc, item, draft } = setup();
    hall.seed.grant(cast.admin.id, 'unit-service-admin', 'academic-affairs');
    const e = failure(
      await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, versionId: draft.id }),
    ) as InputError;
    expect([e.code, e.problems]).to.deep.equal([
      'SERVICE_VERSION.UNIT_REQUIRED',
      [{ path: '/unit', message: 'one of finance, academic-affairs' }],
    ]);
    value(
      await uc.execute({
        actor: ActorMother.of(cast.admin),
        itemId: item.id,
        versionId: draft.id,
        unit: 'academic-affairs',
      }),
    );
    const view = value(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, versionId: draft.id }));
    expect(view.confirmations.map((c) => c.unit)).to.deep.equal(['academic-affairs', 'finance']);
  });

  it('refuses people who administer no involved unit, or not the unit they name', async () => {
    const { hall, uc, item, draft } = setup();
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.handler), itemId: item.id, versionId: draft.id })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.itOffice), itemId: item.id, versionId: draft.id })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(
        await uc.execute({
          actor: ActorMother.of(cast.admin),
          itemId: item.id,
          versionId: draft.id,
          unit: 'academic-affairs',
        }),
      ).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(hall.audit).to.deep.equal([]);
  });

  it("refuses a second confirmation, a version without a definition, and another item's version, changing nothing", async () => {
    const { hall, uc, item, draft } = setup();
    value(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, versionId: draft.id }));
    const empty = ServiceItemMother.building();
    const emptyDraft = ServiceVersionMother.draft({ itemId: empty.id, definition: null });
    hall.seed.item(empty);
    hall.seed.version(emptyDraft);
    const before = hall.db.dump();
    expect(
      failure(
        await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, versionId: draft.id, unit: 'finance' }),
      ).code,
    ).to.equal('SERVICE_VERSION.ALREADY_CONFIRMED');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: empty.id, versionId: emptyDraft.id })).code,
    ).to.equal('SERVICE_VERSION.NO_DEFINITION');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: item.id, versionId: emptyDraft.id })).code,
    ).to.equal('SERVICE_VERSION.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('refuses to confirm while the item is not being built or online', async () => {
    const { hall, uc } = setup();
    const pending = ServiceItemMother.pending();
    const v = ServiceVersionMother.draft({ itemId: pending.id });
    hall.seed.item(pending);
    hall.seed.version(v);
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), itemId: pending.id, versionId: v.id })).code,
    ).to.equal('SERVICE_ITEM.CONFIRM_VERSION_NOT_ALLOWED');
  });
});
