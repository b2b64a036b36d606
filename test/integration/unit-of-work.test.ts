import { expect } from 'chai';
import { ConflictError } from '../../src/domain/shared/errors.js';
import { err, ok } from '../../src/domain/shared/result.js';
import { KnexUnitOfWork } from '../../src/adapters/driven/knex/knex-unit-of-work.js';
import { SecondConnectionError } from '../../src/adapters/driven/knex/pool-guard.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

describe('KnexUnitOfWork (real PostgreSQL)', () => {
  let db: TestDatabase;
  let uow: KnexUnitOfWork;
  before(async () => { db = await createTestDatabase(); uow = new KnexUnitOfWork(db.knex); });
  after(async () => { await db.drop(); });

  const entry = (entityId: string) => ({ actorId: 'p', action: 'x.happened', entityType: 'x', entityId, at: new Date() });
  const rows = async (entityId: string) => Number((await db.knex('audit_log').where({ entity_id: entityId }).count({ n: '*' }))[0]!.n);

  it('commits the writes of a successful Result and then runs the after-commit hooks', async () => {
    let hookSawRow = -1;
    const out = await uow.run(async (s) => {
      await s.audit.record(entry('a'));
      s.afterCommit(async () => { hookSawRow = await rows('a'); });
      return ok(1);
    });
    expect(out).to.deep.equal(ok(1));
    expect(await rows('a')).to.equal(1);
    expect(hookSawRow).to.equal(1);
  });

  it('rolls back the writes made before a failed Result, returns that Result, and skips the hooks', async () => {
    let hookRan = false;
    const refusal = err(new ConflictError('X.NO', 'no'));
    const out = await uow.run(async (s) => {
      await s.audit.record(entry('b'));
      await s.outbox.enqueue({ topic: 'x.happened', aggregateType: 'x', aggregateId: 'b', payload: {}, at: new Date() });
      s.afterCommit(() => { hookRan = true; });
      return refusal;
    });
    expect(out).to.equal(refusal);
    expect(await rows('b')).to.equal(0);
    expect(Number((await db.knex('outbox').where({ aggregate_id: 'b' }).count({ n: '*' }))[0]!.n)).to.equal(0);
    expect(hookRan).to.equal(false);
  });

  it('rolls back and rethrows when the work throws', async () => {
    let thrown: unknown;
    try {
      await uow.run(async (s) => { await s.audit.record(entry('c')); throw new Error('boom'); });
    } catch (e) { thrown = e; }
    expect((thrown as Error).message).to.equal('boom');
    expect(await rows('c')).to.equal(0);
  });

  it('refuses the work a second connection from the pool while it holds its transaction, and rolls back', async () => {
    let thrown: unknown;
    try {
      await uow.run(async (s) => {
        await s.audit.record(entry('d'));
        await db.knex('people').count({ n: '*' });
      });
    } catch (e) { thrown = e; }
    expect(thrown).to.be.instanceOf(SecondConnectionError);
    expect(await rows('d')).to.equal(0);
    // outside a unit of work the pool serves as before, and so do the hooks after a commit
    let hookCounted = -1;
    await uow.run(async (s) => {
      await s.audit.record(entry('e'));
      s.afterCommit(async () => { hookCounted = await rows('e'); });
    });
    expect(hookCounted).to.equal(1);
  });
});
