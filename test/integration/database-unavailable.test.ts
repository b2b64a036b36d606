import { expect } from 'chai';
import pg from 'pg';
import { createKnex } from '../../src/adapters/driven/knex/knex-database.js';
import { freePort } from '../../src/adapters/driven/embedded-postgres/embedded-database.js';
import { databaseUnavailable } from '../../src/adapters/driven/knex/pool-watch.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

/** Errors that mean "try again later" (503), told apart from the request's own errors, as the driver really raises them. */
describe('databaseUnavailable (real PostgreSQL)', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it('busy: every connection stayed taken for the bounded wait', async () => {
    const knex = createKnex(db.url, 1, 200);
    try {
      const held = await knex.transaction();
      try {
        expect(databaseUnavailable(await failure(() => knex.raw('SELECT 1')))).to.equal('busy');
      } finally {
        await held.rollback();
      }
    } finally {
      await knex.destroy();
    }
  });

  it('down: nothing listens where the database should be, or the server ended the connection', async () => {
    const knex = createKnex(`postgres://postgres:x@127.0.0.1:${await freePort()}/none`, 1, 2000);
    try {
      expect(databaseUnavailable(await failure(() => knex.raw('SELECT 1')))).to.equal('down');
    } finally {
      await knex.destroy();
    }
    const victim = new pg.Client({ connectionString: db.url });
    await victim.connect();
    victim.on('error', () => undefined);
    const pid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const sleeping = failure(() => victim.query('SELECT pg_sleep(10)'));
    await db.knex.raw('SELECT pg_terminate_backend(?)', [pid]);
    expect(databaseUnavailable(await sleeping)).to.equal('down');
    await victim.end().catch(() => undefined);
  });

  it('down: a transaction whose connection broke, rolled back on a connection that can no longer be queried', async () => {
    const knex = createKnex(db.url, 1, 2000);
    try {
      const error = await failure(() =>
        knex.transaction(async (trx) => {
          const pid = (await trx.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
          // the connection is cut under the transaction (a network failure, a restarted server)
          await db.knex.raw('SELECT pg_terminate_backend(?)', [pid]);
          await new Promise((r) => setTimeout(r, 200));
          await trx.raw('SELECT 1');
        }),
      );
      expect(databaseUnavailable(error), String(error)).to.equal('down');
    } finally {
      await knex.destroy();
    }
  });

  it("not for the request's own errors", async () => {
    expect(databaseUnavailable(await failure(() => db.knex.raw('SELECT * FROM no_such_table')))).to.equal(null);
    expect(databaseUnavailable(await failure(() => db.knex.raw('SELECT 1/0')))).to.equal(null);
    expect(databaseUnavailable(new Error('boom'))).to.equal(null);
    expect(databaseUnavailable(null)).to.equal(null);
  });
});
