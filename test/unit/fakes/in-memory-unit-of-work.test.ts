import { expect } from 'chai';
import { ConflictError } from '../../../src/domain/shared/errors.js';
import { err, ok } from '../../../src/domain/shared/result.js';
import { InMemoryHall } from '../../fakes/in-memory-hall.js';

const audit = { actorId: 'T0001', action: 'x.done', entityType: 'x', entityId: '1', at: new Date(0) };

/**
 * What the fake keeps for the use-case tests beyond the UnitOfWork contract (test/contract/ holds
 * the behaviour it shares with KnexUnitOfWork): how each run ended.
 */
describe('InMemoryUnitOfWork', () => {
  it('records whether each run committed or rolled back', async () => {
    const hall = new InMemoryHall();
    await hall.uow.run(async (scope) => {
      await scope.audit.record(audit);
      return ok('done');
    });
    await hall.uow.run(async () => err(new ConflictError('X.REFUSED', 'no')));
    try {
      await hall.uow.run(async () => {
        throw new Error('driver');
      });
    } catch {
      /* rolled back */
    }
    expect(hall.uow.outcomes).to.deep.equal(['committed', 'rolled back', 'rolled back']);
  });
});
