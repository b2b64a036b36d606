import { expect } from 'chai';
import { KnexConnectorStates } from '../../src/adapters/driven/knex/knex-connector-states.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A breaker opened in the worker is known to the API instance: the state is shared through the database. */
describe('KnexConnectorStates (real PostgreSQL)', () => {
  let db: TestDatabase;
  let worker: KnexConnectorStates;
  let api: KnexConnectorStates;
  before(async () => {
    db = await createTestDatabase();
    worker = new KnexConnectorStates(db.knex, { refreshMs: 50, holdMs: 60_000 }).start();
    api = new KnexConnectorStates(db.knex, { refreshMs: 50 }).start();
  });
  after(async () => {
    worker.stop();
    api.stop();
    await db.drop();
  });

  it('an opening in one instance is seen by another; a closing clears it', async () => {
    expect([...api.openElsewhere()]).to.deep.equal([]);
    worker.opened('dormitory-system');
    await until(() => api.openElsewhere().has('dormitory-system'));
    worker.closed('dormitory-system');
    await until(() => !api.openElsewhere().has('dormitory-system'));
  });

  it('an opening holds only until its time is up: a worker that died with it open leaves no connector down for ever', async () => {
    const brief = new KnexConnectorStates(db.knex, { holdMs: 300 });
    brief.opened('network-account-system');
    await until(() => api.openElsewhere().has('network-account-system'));
    await until(() => !api.openElsewhere().has('network-account-system'), 5000);
    expect(await db.knex('connector_states').where({ connector: 'network-account-system' })).to.have.length(1);
  });
});
