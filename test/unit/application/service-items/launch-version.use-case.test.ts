import { expect } from 'chai';
import { LaunchVersionUseCase } from '../../../../src/application/service-items/launch-version.use-case.js';
import type { ProcessDefinition } from '../../../../src/domain/process-definition/process-definition.js';
import type { GateShortfall } from '../../../../src/domain/service-item/launch-gate.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const admin = ActorMother.of(cast.admin);
const confirmed = [{ unit: 'finance', by: cast.admin.id, at: '2026-11-20T00:00:00.000Z' }];

/** A finance item being built, its draft confirmed by finance (the only involved unit) unless told otherwise. */
function setup(o: { definition?: ProcessDefinition | null; confirmations?: typeof confirmed } = {}) {
  const hall = hallWithCast();
  const item = ServiceItemMother.building();
  const draft = ServiceVersionMother.draft({
    itemId: item.id,
    definition: o.definition === undefined ? ProcessDefinitionMother.create() : o.definition,
    confirmations: o.confirmations ?? confirmed,
  });
  hall.seed.item(item);
  hall.seed.version(draft);
  return { hall, item, draft, uc: new LaunchVersionUseCase(hall) };
}

const missing = (e: { details: Readonly<Record<string, unknown>> }) =>
  (e.details.missing as GateShortfall[]).map((m) => [m.kind, 'unit' in m ? m.unit : undefined]);

describe('LaunchVersionUseCase (上线)', () => {
  it('puts the version online and the item in the catalogue, audited with the item before and after', async () => {
    const { hall, uc, item, draft } = setup();
    const view = value(await uc.execute({ actor: admin, itemId: item.id, versionId: draft.id }));
    expect(view).to.deep.include({ id: draft.id, state: 'online', launchedAt: hall.clock.now().toISOString() });
    expect(hall.db.state.serviceItems.get(item.id)).to.deep.include({ state: 'online', onlineVersionId: draft.id });
    expect(
      hall.audit.map((e) => [
        e.action,
        e.entityId,
        (e.before as { state: string }).state,
        (e.after as { state: string }).state,
      ]),
    ).to.deep.equal([['service-item.launched', item.id, 'building', 'online']]);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.admin.id,
      versionId: draft.id,
      number: 1,
      supersededVersionId: null,
    });
  });

  it('supersedes the version it replaces after a change', async () => {
    const { hall, uc } = setup();
    const v1 = { id: globalThis.crypto.randomUUID() };
    const item = ServiceItemMother.online({ onlineVersionId: v1.id });
    hall.seed.item(item);
    hall.seed.version(ServiceVersionMother.online({ id: v1.id, itemId: item.id, number: 1 }));
    const v2 = ServiceVersionMother.draft({ itemId: item.id, number: 2, confirmations: confirmed });
    hall.seed.version(v2);
    value(await uc.execute({ actor: admin, itemId: item.id, versionId: v2.id }));
    expect([
      hall.db.state.serviceVersions.get(v1.id)!.state,
      hall.db.state.serviceVersions.get(v2.id)!.state,
    ]).to.deep.equal(['superseded', 'online']);
    expect(hall.outbox[0]!.payload).to.deep.include({ supersededVersionId: v1.id, number: 2 });
  });

  it('refuses while the gate is not met, listing every confirmation and handler missing, and changes nothing', async () => {
    const definition = ProcessDefinitionMother.create({
      steps: [NodeMother.review({ key: 'check', handlers: HandlersMother.role('department-head', 'finance') })],
    });
    const { hall, uc, draft } = setup({ definition, confirmations: [] });
    const item = ServiceItemMother.building({ id: draft.itemId, involvedUnits: ['finance', 'academic-affairs'] });
    hall.seed.item(item);
    const before = hall.db.dump();
    const e = failure(await uc.execute({ actor: admin, itemId: item.id, versionId: draft.id }));
    expect(e.code).to.equal('SERVICE_ITEM.LAUNCH_GATE_NOT_MET');
    expect(missing(e)).to.deep.equal([
      ['confirmation', 'finance'],
      ['confirmation', 'academic-affairs'],
      ['handler', 'finance'],
    ]);
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('refuses a version whose transfer node calls a business system this hall has not configured (any more), and changes nothing', async () => {
    const definition = ProcessDefinitionMother.create({
      steps: [NodeMother.transfer({ key: 'dorm', name: '宿舍系统', connector: 'library-system' })],
    });
    const { hall, uc, item, draft } = setup({ definition });
    const before = hall.db.dump();
    const e = failure(await uc.execute({ actor: admin, itemId: item.id, versionId: draft.id }));
    expect(e.code).to.equal('SERVICE_ITEM.LAUNCH_GATE_NOT_MET');
    expect(e.details.missing).to.deep.equal([
      {
        kind: 'connector',
        node: 'dorm',
        connector: 'library-system',
        message: "node 'dorm': no business-system connector 'library-system' is configured in this hall",
      },
    ]);
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('counts only active staff as handlers: a leaver or a student holding the role, or named, does not open the gate', async () => {
    const leaver = PersonMother.staff({ status: 'left' });
    const student = PersonMother.student();
    const definition = ProcessDefinitionMother.create({
      steps: [NodeMother.review({ key: 'check', handlers: HandlersMother.role('department-head', 'finance') })],
      complete: NodeMother.complete({ handlers: HandlersMother.people(student.id) }),
    });
    const { hall, uc, item, draft } = setup({ definition });
    hall.seed.people(leaver, student);
    hall.seed.grant(leaver.id, 'department-head', 'finance');
    const e = failure(await uc.execute({ actor: admin, itemId: item.id, versionId: draft.id }));
    expect((e.details.missing as GateShortfall[]).map((m) => m.kind === 'handler' && m.node)).to.deep.equal([
      'check',
      'done',
    ]);
  });

  it("requires a holder in every college for a step on the applicant's college", async () => {
    const definition = ProcessDefinitionMother.create({
      steps: [NodeMother.review({ key: 'counsel', handlers: HandlersMother.role('counselor', '$applicant.college') })],
    });
    const { hall, uc, item, draft } = setup({ definition });
    const counselor = PersonMother.staff({ unit: 'college-info' });
    hall.seed.people(counselor);
    hall.seed.grant(counselor.id, 'counselor', 'college-info');
    expect(missing(failure(await uc.execute({ actor: admin, itemId: item.id, versionId: draft.id })))).to.deep.equal([
      ['handler', 'college-marine'],
    ]);
  });

  it("refuses a version without a definition, one already online, and people other than the unit's admins and the IT Office", async () => {
    const { hall, uc, item, draft } = setup({ definition: null });
    expect(missing(failure(await uc.execute({ actor: admin, itemId: item.id, versionId: draft.id })))).to.deep.equal([
      ['definition', undefined],
    ]);
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.aaAdmin), itemId: item.id, versionId: draft.id })).code,
    ).to.equal('AUTH.FORBIDDEN');
    const ready = setup();
    value(
      await ready.uc.execute({
        actor: ActorMother.of(cast.itOffice),
        itemId: ready.item.id,
        versionId: ready.draft.id,
      }),
    );
    expect(
      failure(await ready.uc.execute({ actor: admin, itemId: ready.item.id, versionId: ready.draft.id })).code,
    ).to.equal('SERVICE_VERSION.NOT_DRAFT');
    expect(hall.audit).to.deep.equal([]);
  });
});
