import { expect } from 'chai';
import { DefineProcessUseCase } from '../../../../src/application/service-items/define-process.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const admin = ActorMother.of(cast.admin);
const definition = ProcessDefinitionMother.create({
  complete: NodeMother.complete({ handlers: HandlersMother.people(cast.colleague.id) }),
});

function setup(item = ServiceItemMother.building()) {
  const hall = hallWithCast();
  hall.seed.item(item);
  return { hall, item, uc: new DefineProcessUseCase(hall) };
}

describe('DefineProcessUseCase (建设)', () => {
  it('creates the first draft of an item being built, audited with the version it made', async () => {
    const { hall, uc, item } = setup();
    const view = value(await uc.execute({ actor: admin, itemId: item.id, definition }));
    expect(view).to.deep.include({
      itemId: item.id,
      number: 1,
      state: 'draft',
      confirmations: [],
      createdBy: cast.admin.id,
    });
    expect(view.definition!.nodes.map((n) => [n.key, n.mode])).to.deep.equal([
      ['apply', undefined],
      ['check', 'any'],
      ['done', 'any'],
    ]);
    expect(hall.db.state.serviceVersions.get(view.id)).to.deep.include({ number: 1, lockVersion: 1 });
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.unit, e.before])).to.deep.equal([
      ['service-version.defined', 'service-version', view.id, 'finance', null],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({ actor: cast.admin.id, itemId: item.id, number: 1 });
  });

  it('redefines an existing draft: earlier confirmations lapse, the audit keeps the version before', async () => {
    const { hall, uc, item } = setup();
    const draft = ServiceVersionMother.draft({
      itemId: item.id,
      confirmations: [{ unit: 'finance', by: cast.admin.id, at: '2026-11-20T00:00:00.000Z' }],
    });
    hall.seed.version(draft);
    const view = value(await uc.execute({ actor: admin, itemId: item.id, definition }));
    expect([view.id, view.confirmations]).to.deep.equal([draft.id, []]);
    const stored = hall.db.state.serviceVersions.get(draft.id)!;
    expect([stored.confirmations, stored.definition!.nodes.at(-1)!.handlers]).to.deep.equal([
      [],
      { type: 'people', people: [cast.colleague.id] },
    ]);
    expect((hall.audit[0]!.before as { confirmations: unknown[] }).confirmations).to.have.length(1);
  });

  it("reports every problem at once: the definition's (global roles are not handler roles) and the form schema's", async () => {
    const { hall, uc, item } = setup();
    const bad = ProcessDefinitionMother.create({
      form: { type: 'object', properties: { amount: { type: 'money' } } },
      steps: [NodeMother.review({ key: 'check', handlers: HandlersMother.role('auditor', 'finance') })],
      complete: NodeMother.complete({ handlers: HandlersMother.people('T9999') }),
    });
    const e = failure(await uc.execute({ actor: admin, itemId: item.id, definition: bad })) as InputError;
    expect(e.code).to.equal('PROCESS_DEFINITION.INVALID');
    expect(e.problems.map((p) => p.path)).to.have.members([
      '/nodes/1/handlers/role',
      '/nodes/2/handlers/people/0',
      '/form/properties/amount/type',
    ]);
    expect(hall.db.state.serviceVersions.size).to.equal(0);
  });

  it('refuses an online item without a draft: a change request comes first', async () => {
    const { hall, uc } = setup();
    const versionId = globalThis.crypto.randomUUID();
    const online = ServiceItemMother.online({ onlineVersionId: versionId });
    hall.seed.item(online);
    hall.seed.version(ServiceVersionMother.online({ id: versionId, itemId: online.id }));
    const before = hall.db.dump();
    expect(failure(await uc.execute({ actor: admin, itemId: online.id, definition })).code).to.equal(
      'SERVICE_ITEM.NO_DRAFT',
    );
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('refuses items in the wrong state, of other units, or unknown', async () => {
    const { hall, uc } = setup();
    const pending = ServiceItemMother.pending();
    const theirs = ServiceItemMother.building({ owningUnit: 'academic-affairs' });
    hall.seed.item(pending);
    hall.seed.item(theirs);
    expect(failure(await uc.execute({ actor: admin, itemId: pending.id, definition })).code).to.equal(
      'SERVICE_ITEM.DEFINE_VERSION_NOT_ALLOWED',
    );
    expect(failure(await uc.execute({ actor: admin, itemId: theirs.id, definition })).code).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.handler), itemId: theirs.id, definition })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.execute({ actor: admin, itemId: 'unknown', definition })).code).to.equal(
      'SERVICE_ITEM.NOT_FOUND',
    );
    expect(hall.audit).to.deep.equal([]);
  });
});
