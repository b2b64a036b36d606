import { expect } from 'chai';
import { createKnex } from '../../src/adapters/driven/knex/knex-database.js';
import { KnexOperationsFigures } from '../../src/adapters/driven/knex/knex-operations-figures.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

/** The figures read at each scrape: from the database, and left out (never a failed scrape) when it cannot answer. */
describe('KnexOperationsFigures (real PostgreSQL)', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  it('reads open tasks per unit and waiting jobs per queue', async () => {
    const figures = new KnexOperationsFigures(db.knex);
    expect(await figures.tasks()).to.deep.equal([]);
    expect(await figures.jobs()).to.be.an('array');
  });

  it('gives nothing, rather than failing the scrape, when the database cannot be reached', async () => {
    const unreachable = createKnex('postgres://nobody@127.0.0.1:1/none', 1, 500);
    try {
      const figures = new KnexOperationsFigures(unreachable);
      expect(await figures.tasks()).to.deep.equal([]);
      expect(await figures.jobs()).to.deep.equal([]);
    } finally {
      await unreachable.destroy();
    }
  });
});
