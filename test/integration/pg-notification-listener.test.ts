import { expect } from 'chai';
import pg from 'pg';
import pino from 'pino';
import { Writable } from 'node:stream';
import { PgNotificationListener } from '../../src/adapters/driven/pg-notify/pg-notification-listener.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';
import { eventually } from '../fixtures/eventually.js';

function recorder() {
  const events: string[] = [];
  return {
    events,
    handler: (name: string) => ({
      notification: (p: string) => {
        events.push(`${name}:${p}`);
      },
      listening: () => {
        events.push(`${name}:listening`);
      },
      lost: () => {
        events.push(`${name}:lost`);
      },
    }),
  };
}

describe('PgNotificationListener (real PostgreSQL)', () => {
  let db: TestDatabase;
  const logLines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  const notify = (channel: string, payload: string) => db.knex.raw('SELECT pg_notify(?, ?)', [channel, payload]);

  it('hands each channel its notifications, and only those of committed transactions', async () => {
    const r = recorder();
    const listener = new PgNotificationListener({ connectionString: db.url, logger });
    listener.listen('chan_a', r.handler('a'));
    listener.listen('chan_b', r.handler('b'));
    listener.listen('chan_b', r.handler('b2'));
    await listener.start();
    try {
      expect(r.events).to.deep.equal(['a:listening', 'b:listening', 'b2:listening']);
      await db.knex
        .transaction(async (trx) => {
          await trx.raw('SELECT pg_notify(?, ?)', ['chan_a', 'rolled-back']);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await db.knex.transaction(async (trx) => {
        await trx.raw('SELECT pg_notify(?, ?)', ['chan_a', 'one']);
        await trx.raw('SELECT pg_notify(?, ?)', ['chan_b', 'two']);
      });
      await notify('chan_other', 'nobody listens');
      await notify('chan_a', 'last');
      await eventually(() => r.events.includes('a:last'), 'the last notification');
      expect(r.events.slice(3)).to.deep.equal(['a:one', 'b:two', 'b2:two', 'a:last']);
    } finally {
      await listener.stop();
    }
  });

  it('a lost connection: handlers are told, it reconnects with back-off while the database refuses, listens again and tells them', async () => {
    const r = recorder();
    const listener = new PgNotificationListener({ connectionString: db.url, logger, minDelayMs: 50, maxDelayMs: 400 });
    listener.listen('chan_a', r.handler('a'));
    await listener.start();
    const admin = new pg.Client({ connectionString: process.env.HALL_TEST_ADMIN_URL });
    await admin.connect();
    const dbName = new URL(db.url).pathname.slice(1);
    try {
      const first = listener.backendPid!;
      expect(first).to.be.a('number');
      logLines.length = 0;
      // nobody may connect to the database for a while: the reconnection attempts fail and back off
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend($1)', [first]);
      await eventually(() => r.events.includes('a:lost'), 'told of the loss');
      expect(listener.connected).to.equal(false);
      await eventually(
        () => logLines.filter((l) => l.includes('could not reconnect')).length >= 3,
        'three failed attempts',
      );
      const delays = logLines
        .filter((l) => l.includes('could not reconnect'))
        .map((l) => (JSON.parse(l) as { retryInMs: number }).retryInMs);
      expect(delays.slice(0, 3), 'doubling from 50 ms up to 400 ms').to.deep.equal([100, 200, 400]);
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
      await eventually(() => listener.connected, 'connected again');
      expect(listener.backendPid).to.not.equal(first);
      expect(r.events).to.deep.equal(['a:listening', 'a:lost', 'a:listening']);
      await notify('chan_a', 'after');
      await eventually(() => r.events.includes('a:after'), 'a notification after reconnecting');
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      await listener.stop();
    }
  });

  it('after stop() nothing is delivered and nothing reconnects', async () => {
    const r = recorder();
    const listener = new PgNotificationListener({ connectionString: db.url, logger, minDelayMs: 10 });
    listener.listen('chan_a', r.handler('a'));
    await listener.start();
    const pid = listener.backendPid!;
    await listener.stop();
    expect(listener.connected).to.equal(false);
    await eventually(
      async () => (await db.knex.raw('SELECT 1 FROM pg_stat_activity WHERE pid = ?', [pid])).rows.length === 0,
      'its backend gone',
    );
    await notify('chan_a', 'too late');
    const { rows } = await db.knex.raw(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'service-hall-listener'",
    );
    expect(rows, 'no connection of its own').to.have.length(0);
    expect(listener.connected).to.equal(false);
    expect(r.events).to.deep.equal(['a:listening']);
  });

  it('refuses a bad channel name, a subscription after start and a second start', async () => {
    const listener = new PgNotificationListener({ connectionString: db.url, logger });
    expect(() => listener.listen('drop table; --', { notification: () => undefined })).to.throw(/not a channel name/);
    await listener.start();
    try {
      expect(() => listener.listen('chan_a', { notification: () => undefined })).to.throw(/before the listener starts/);
      let error: unknown;
      try {
        await listener.start();
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/started already/);
    } finally {
      await listener.stop();
    }
  });

  it('a start that cannot connect fails, leaving nothing behind', async () => {
    const url = new URL(db.url);
    url.pathname = '/no_such_database_here';
    const listener = new PgNotificationListener({ connectionString: url.toString(), logger });
    listener.listen('chan_a', { notification: () => undefined });
    let error: unknown;
    try {
      await listener.start();
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/does not exist/);
    expect(listener.connected).to.equal(false);
    await listener.stop();
  });
});
