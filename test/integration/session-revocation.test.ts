import { expect } from 'chai';
import pino from 'pino';
import { err, ok } from '../../src/domain/shared/result.js';
import { ConflictError } from '../../src/domain/shared/errors.js';
import { PgNotificationListener } from '../../src/adapters/driven/pg-notify/pg-notification-listener.js';
import { KnexUnitOfWork } from '../../src/adapters/driven/knex/knex-unit-of-work.js';
import { SESSIONS_ENDED_CHANNEL } from '../../src/adapters/driven/session/session-revocation.js';
import { SignedTokenSessionStore } from '../../src/adapters/driven/session/signed-token-session-store.js';
import { seedDemoOrganisation } from '../../src/adapters/composition/demo.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';
import { eventually } from '../fixtures/eventually.js';
import { createKnex } from '../../src/adapters/driven/knex/knex-database.js';
import type { Knex } from 'knex';

/** Every way a session ends early announces it: one NOTIFY per ended session, sent on commit. */
describe('ending sessions announces them (real PostgreSQL)', () => {
  let db: TestDatabase;
  let listener: PgNotificationListener;
  let store: SignedTokenSessionStore;
  /** Another instance's pool: markers are committed there, also while a unit of work here holds its transaction. */
  let elsewhere: Knex;
  const heard: string[] = [];
  const at = new Date('2026-11-27T02:00:00Z');

  before(async () => {
    db = await createTestDatabase();
    await seedDemoOrganisation(db.knex);
    store = new SignedTokenSessionStore(db.knex, 'test-secret-test-secret-test-secret-0123', 60, 30);
    listener = new PgNotificationListener({ connectionString: db.url, logger: pino({ level: 'silent' }) });
    listener.listen(SESSIONS_ENDED_CHANNEL, {
      notification: (id) => {
        heard.push(id);
      },
    });
    await listener.start();
    elsewhere = createKnex(db.url, 1);
  });
  after(async () => {
    await listener.stop();
    await elsewhere.destroy();
    await db.drop();
  });

  /** A marker sent after the statement under test: once it is heard, anything sent before it was too. */
  async function settle(): Promise<string[]> {
    const marker = `marker-${globalThis.crypto.randomUUID()}`;
    await elsewhere.raw('SELECT pg_notify(?, ?)', [SESSIONS_ENDED_CHANNEL, marker]);
    await eventually(() => heard.includes(marker), 'the marker');
    const got = heard.splice(0).filter((h) => h !== marker);
    return got;
  }

  it('logout: the session id, once (ending it again says nothing)', async () => {
    const { session } = await store.open({ personId: 'T0101', provider: 'local', at });
    await store.end(session.id, at);
    await store.end(session.id, at);
    expect(await settle()).to.deep.equal([session.id]);
  });

  it('single logout: each session of that sign-in, and no other', async () => {
    const a = await store.open({ personId: 'T0101', provider: 'cas', at, externalRef: 'ST-1' });
    const b = await store.open({ personId: 'T0101', provider: 'cas', at, externalRef: 'ST-1' });
    await store.open({ personId: 'T0101', provider: 'cas', at, externalRef: 'ST-2' });
    expect(await store.endByExternalRef('ST-1', at)).to.equal(2);
    expect((await settle()).sort()).to.deep.equal([a.session.id, b.session.id].sort());
  });

  it('offboarding: every live session of the person, when the transaction commits, and this instance is told after commit', async () => {
    const told: string[][] = [];
    const uow = new KnexUnitOfWork(db.knex, {
      reminders: { beforeHours: 24, escalateAfterHours: 24, expireSeconds: 60 },
      email: false,
      sessionsEnded: (ids) => {
        told.push(ids);
      },
    });
    const mine = await Promise.all([1, 2].map(() => store.open({ personId: 'T0302', provider: 'local', at })));
    const other = await store.open({ personId: 'T0301', provider: 'local', at });

    // refused: rolled back, nothing ended, nothing said
    const refused = await uow.run(async (scope) => {
      expect(await scope.personnel.endSessions('T0302', at)).to.equal(2);
      return err(new ConflictError('TEST.REFUSED', 'refused'));
    });
    expect(refused.ok).to.equal(false);
    expect(await settle()).to.deep.equal([]);
    expect(told).to.deep.equal([]);
    expect(await store.resolve(mine[0]!.token, at)).to.not.equal(null);

    const done = await uow.run(async (scope) => {
      const n = await scope.personnel.endSessions('T0302', at);
      // a marker committed meanwhile by another instance is heard; the ended sessions are not, yet
      expect(await settle(), 'nothing before commit').to.deep.equal([]);
      expect(told).to.deep.equal([]);
      return ok(n);
    });
    expect(done).to.deep.equal(ok(2));
    const ids = mine.map((m) => m.session.id).sort();
    expect((await settle()).sort()).to.deep.equal(ids);
    expect(told.map((t) => [...t].sort())).to.deep.equal([ids]);
    expect(await store.resolve(mine[1]!.token, at)).to.equal(null);
    expect(await store.resolve(other.token, at)).to.not.equal(null);
  });
});
