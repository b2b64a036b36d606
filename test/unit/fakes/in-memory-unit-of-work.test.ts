import { expect } from 'chai';
import { ConflictError } from '../../../src/domain/shared/errors.js';
import { err, ok } from '../../../src/domain/shared/result.js';
import { InMemoryHall } from '../../fakes/in-memory-hall.js';
import { ApplicationMother, type ApplicationWorld } from '../../mothers/application.mother.js';
import { PersonMother } from '../../mothers/organisation.mother.js';
import { ProcessDefinitionMother } from '../../mothers/process-definition.mother.js';

const audit = { actorId: 'T0001', action: 'x.done', entityType: 'x', entityId: '1', at: new Date(0) };

/**
 * What the fake keeps for the use-case tests beyond the UnitOfWork contract (test/contract/ holds
 * the behaviour it shares with KnexUnitOfWork): how each run ended.
 */
describe('InMemoryUnitOfWork', () => {
  it('records whether each run committed or rolled back', async () => {
    const hall = new InMemoryHall();
    await hall.uow.run(async (scope) => { await scope.audit.record(audit); return ok('done'); });
    await hall.uow.run(async () => err(new ConflictError('X.REFUSED', 'no')));
    try {
      await hall.uow.run(async () => { throw new Error('driver'); });
    } catch { /* rolled back */ }
    expect(hall.uow.outcomes).to.deep.equal(['committed', 'rolled back', 'rolled back']);
  });
});

describe('InMemoryApplicationRepository', () => {
  const applicant = PersonMother.student();
  const world: ApplicationWorld = {
    itemId: 'item-1', owningUnit: 'finance', versionId: 'v-1', definition: ProcessDefinitionMother.create(), applicant, pools: { 'handler@finance': ['T0302'] },
  };

  it('appends the history entries each save recorded, and pages them, private notes left out for the applicant', async () => {
    const hall = new InMemoryHall();
    const a = ApplicationMother.submitted(world);
    await hall.uow.run(async (scope) => { await scope.applications.add(a); });
    await hall.uow.run(async (scope) => {
      const loaded = (await scope.applications.findById(a.id))!;
      loaded.comment('T0302', '发票待核', true, new Date('2026-11-24T00:00:00Z'));
      loaded.comment(applicant.id, '请尽快', false, new Date('2026-11-24T00:01:00Z'));
      await scope.applications.save(loaded);
    });
    await hall.uow.run(async (scope) => {
      expect((await scope.applications.entries(a.id)).map((h) => h.action)).to.deep.equal(['saved', 'submitted', 'node-activated', 'commented', 'commented']);
      const first = await scope.applications.history({ applicationId: a.id, forApplicant: true, limit: 3 });
      const rest = await scope.applications.history({ applicationId: a.id, forApplicant: true, limit: 3, cursor: first.nextCursor! });
      expect([...first.items, ...rest.items].map((h) => h.seq)).to.deep.equal([1, 2, 3, 5]);
      expect(rest.nextCursor).to.equal(null);
      expect((await scope.applications.lastEntry({ applicationId: a.id, actor: 'T0302', action: 'commented' }))?.comment).to.equal('发票待核');
    });
  });

  it('refuses to save an application changed by someone else since it was loaded', async () => {
    const hall = new InMemoryHall();
    hall.seed.application(ApplicationMother.submitted(world));
    const id = [...hall.db.state.applications.keys()][0]!;
    const stale = await hall.uow.run(async (scope) => scope.applications.findById(id));
    await hall.uow.run(async (scope) => {
      const fresh = (await scope.applications.findById(id))!;
      fresh.comment('T0302', 'first', false, new Date());
      await scope.applications.save(fresh);
    });
    stale!.comment('T0302', 'second', false, new Date());
    let thrown: unknown;
    try { await hall.uow.run((scope) => scope.applications.save(stale!)); } catch (e) { thrown = e; }
    expect((thrown as ConflictError).code).to.equal('APPLICATION.CONCURRENT_CHANGE');
    expect(hall.stored(id).history.map((h) => h.comment).filter(Boolean)).to.deep.equal(['first']);
  });
});
