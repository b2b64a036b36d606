import { expect } from 'chai';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import {
  buildContainer,
  disposeContainer,
  type Container,
  type Overrides,
  type ResolvedConfig,
} from '../../src/adapters/composition/container.js';
import { CachedSessionStore } from '../../src/adapters/driven/session/cached-session-store.js';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { TestCasServer } from '../fixtures/cas-server.js';
import { eventually } from '../fixtures/eventually.js';
import { MovableClock } from '../fixtures/movable-clock.js';
import { checkedHttpApp, createTestApp, testConfig, type TestApp } from '../fixtures/test-app.js';

interface Instance {
  app: Express;
  container: Container;
  close(): Promise<void>;
}

/** Another instance of the hall on the same database: its own container, pool, listener and cache. */
async function secondInstance(
  t: TestApp,
  configure: (c: ResolvedConfig) => ResolvedConfig = (c) => c,
  overrides?: Overrides,
): Promise<Instance> {
  const container = await buildContainer(configure(testConfig(t.db.url)), overrides, pino({ level: 'silent' }));
  return { app: checkedHttpApp(container), container, close: () => disposeContainer(container) };
}

const me = (app: Express, token: string) => request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);

async function login(app: Express, username: string): Promise<string> {
  const res = await request(app).post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.token as string;
}

/** The queries an instance sends while `work` runs: all of them, and those touching the sessions table. */
async function queriesDuring(
  container: Container,
  work: () => Promise<unknown>,
): Promise<{ all: number; sessions: number }> {
  const knex = container.knex;
  const seen: string[] = [];
  const listener = (q: { sql: string }) => {
    seen.push(q.sql);
  };
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.removeListener('query', listener);
  }
  return { all: seen.length, sessions: seen.filter((sql) => /\bsessions\b/.test(sql)).length };
}

/** GET /me answered 200 from this instance's memory: no query about the session. */
async function servedFromCache(instance: { app: Express; container: Container }, token: string): Promise<void> {
  let status = 0;
  const q = await queriesDuring(instance.container, async () => {
    status = (await me(instance.app, token)).status;
  });
  expect(status).to.equal(200);
  expect(q.sessions, 'the session was answered from memory').to.equal(0);
}

/** The promise: a session ended on one instance is refused by every other within a second. */
const ONE_SECOND = 1000;

describe('verified-session cache: ended sessions reach every instance (e2e, two instances on one database)', () => {
  let a: TestApp;
  let b: Instance;
  before(async () => {
    a = await createTestApp();
    b = await secondInstance(a);
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  it('a request with a session the instance has verified makes no query for it', async () => {
    const token = await login(a.app, 'jw-admin');
    let first = { all: 0, sessions: 0 };
    first = await queriesDuring(b.container, async () => expect((await me(b.app, token)).status).to.equal(200));
    expect(first.sessions, 'B checks the token with the database once').to.equal(1);
    const second = await queriesDuring(b.container, async () => expect((await me(b.app, token)).status).to.equal(200));
    expect(second.sessions).to.equal(0);
    expect(second.all, 'the rest of the request is unchanged').to.equal(first.all - first.sessions);
    // asked directly, the store answers without a single query
    const store = b.container.ports.sessions as CachedSessionStore;
    expect(store).to.be.instanceOf(CachedSessionStore);
    const direct = await queriesDuring(b.container, async () =>
      expect(await store.resolve(token, new Date())).to.not.equal(null),
    );
    expect(direct.all).to.equal(0);
    // A opened the session: it knew it from the start
    await servedFromCache(a, token);
  });

  it('logout on A: A refuses the token at once, B within 1 s, having forgotten it without being asked', async () => {
    const token = await login(a.app, 'cw-admin');
    await me(b.app, token);
    await servedFromCache(a, token);
    await servedFromCache(b, token);
    const cacheOfB = b.container.ports.sessions as CachedSessionStore;
    const held = cacheOfB.size;
    expect((await request(a.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).to.equal(
      204,
    );
    expect((await me(a.app, token)).status, 'on A at once').to.equal(401);
    await eventually(() => cacheOfB.size === held - 1, 'B forgets the session (no request to B meanwhile)', ONE_SECOND);
    expect((await me(b.app, token)).status).to.equal(401);
  });

  it("offboarding a person on A ends all their sessions on B within 1 s; other people's stay", async () => {
    const mine = [await login(a.app, 'cw-handler'), await login(a.app, 'cw-handler')];
    const other = await login(a.app, 'jw-handler');
    for (const token of [...mine, other]) {
      await me(b.app, token);
      await servedFromCache(a, token);
      await servedFromCache(b, token);
    }
    const it = await login(a.app, 'it-officer');
    const res = await request(a.app)
      .post('/api/v1/people/T0302/offboarding')
      .set('Authorization', `Bearer ${it}`)
      .send({ status: 'left' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.sessionsEnded).to.equal(2);
    for (const token of mine) expect((await me(a.app, token)).status, 'on A at once').to.equal(401);
    await eventually(
      async () => (await me(b.app, mine[0]!)).status === 401 && (await me(b.app, mine[1]!)).status === 401,
      'B refuses both sessions',
      ONE_SECOND,
    );
    await servedFromCache(b, other);
  });

  it('a lost listener connection: the cache is emptied, the listener reconnects, and ended sessions are heard again', async () => {
    const listener = b.container.notifications;
    const cacheOfB = b.container.ports.sessions as CachedSessionStore;
    const token = await login(a.app, 'xg-admin');
    await me(b.app, token);
    await servedFromCache(b, token);
    expect(cacheOfB.size).to.be.greaterThan(0);
    const pid = listener.backendPid!;
    const { rows } = (await a.db.knex.raw('SELECT pg_terminate_backend(?) AS done', [pid])) as {
      rows: Array<{ done: boolean }>;
    };
    expect(rows[0]!.done).to.equal(true);
    await eventually(() => listener.connected && listener.backendPid !== pid, 'B listens again on a new connection');
    expect(cacheOfB.size, 'whatever B held is forgotten').to.equal(0);
    const again = await queriesDuring(b.container, async () => expect((await me(b.app, token)).status).to.equal(200));
    expect(again.sessions, 'the next request checks with the database').to.equal(1);
    await servedFromCache(b, token);
    expect((await request(a.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).to.equal(
      204,
    );
    await eventually(async () => (await me(b.app, token)).status === 401, 'B refuses the token', ONE_SECOND);
  });
});

describe('verified-session cache: CAS single logout reaches every instance (e2e)', () => {
  const SERVICE = 'http://hall.campus.test/api/v1/auth/cas/callback';
  const cas = new TestCasServer({ zhangsan: { employeeNumber: 'T0101', displayName: '陈教务' } });
  const withCas = (c: ResolvedConfig): ResolvedConfig => ({
    ...c,
    localAccounts: false,
    cas: {
      serverUrl: cas.base,
      serviceUrl: SERVICE,
      protocol: 'p3',
      idAttribute: 'employeeNumber',
      timeoutMs: 2000,
      logoutAllowedAddresses: [],
    },
  });
  let a: TestApp;
  let b: Instance;
  before(async () => {
    await cas.start();
    a = await createTestApp(undefined, withCas);
    b = await secondInstance(a, withCas);
  });
  after(async () => {
    await b.close();
    await a.close();
    await cas.stop();
  });

  async function signIn(app: Express) {
    const start = await request(app).get('/api/v1/auth/cas/login');
    const back = await cas.signIn(start.headers.location as string, 'zhangsan');
    const callback = await request(app).get(`/api/v1/auth/cas/callback${back.search}`);
    expect(callback.status, JSON.stringify(callback.body)).to.equal(200);
    return { ticket: back.searchParams.get('ticket')!, token: callback.body.token as string };
  }

  it("the CAS server's logout request reaching A ends that sign-in's session on B within 1 s, and no other", async () => {
    const ended = await signIn(a.app);
    const kept = await signIn(a.app);
    for (const s of [ended, kept]) {
      await me(b.app, s.token);
      await servedFromCache(a, s.token);
      await servedFromCache(b, s.token);
    }
    const slo = await request(a.app)
      .post('/api/v1/auth/cas/logout')
      .type('form')
      .send({ logoutRequest: TestCasServer.logoutRequest(ended.ticket) });
    expect(slo.body).to.deep.equal({ ended: 1 });
    expect((await me(a.app, ended.token)).status, 'on A at once').to.equal(401);
    await eventually(async () => (await me(b.app, ended.token)).status === 401, 'B refuses the token', ONE_SECOND);
    await servedFromCache(b, kept.token);
  });
});

describe('verified-session cache: lifetimes as without it (e2e, movable clock, two instances)', () => {
  const clock = new MovableClock();
  const useClock: Overrides = () => ({ clock });
  // the longest cache lifetime allowed, so that nothing below depends on the copy aging out
  const longCache = (c: ResolvedConfig): ResolvedConfig => ({ ...c, sessionCacheSeconds: 300 });
  let a: TestApp;
  let b: Instance;
  before(async () => {
    a = await createTestApp(useClock, longCache);
    b = await secondInstance(a, longCache, useClock);
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  const lastSeen = async (token: string) =>
    (
      (await a.db
        .knex('sessions')
        .where({ id: token.split('.')[0] })
        .first()) as { last_seen_at: Date }
    ).last_seen_at.getTime();

  it('activity is still written at most once a minute', async () => {
    const token = await login(a.app, 'jw-admin');
    const opened = clock.now().getTime();
    clock.advanceSeconds(30);
    await servedFromCache(a, token);
    expect(await lastSeen(token)).to.equal(opened);
    clock.advanceSeconds(31);
    const due = await queriesDuring(a.container, async () => expect((await me(a.app, token)).status).to.equal(200));
    expect(due.sessions, 'checked and recorded').to.equal(2);
    expect(await lastSeen(token)).to.equal(opened + 61_000);
    clock.advanceSeconds(30);
    await servedFromCache(a, token);
    expect(await lastSeen(token)).to.equal(opened + 61_000);
  });

  it('a cached session unused for the idle timeout (30 min) ends at exactly that moment', async () => {
    const used = await login(a.app, 'jw-handler');
    const unused = await login(a.app, 'cw-admin');
    await servedFromCache(a, used);
    await servedFromCache(a, unused);
    clock.advanceSeconds(30 * 60 - 1);
    expect((await me(a.app, used)).status, 'idle 29:59').to.equal(200);
    clock.advanceSeconds(1);
    expect((await me(a.app, unused)).status, 'idle 30:00').to.equal(401);
    expect((await me(a.app, used)).status, 'used a second ago').to.equal(200);
  });

  it('a cached session ends at its absolute lifetime (60 min) to the second, from memory', async () => {
    const token = await login(a.app, 'xg-admin');
    for (let minute = 10; minute <= 50; minute += 10) {
      clock.advanceSeconds(10 * 60);
      expect((await me(a.app, token)).status, `after ${minute} min`).to.equal(200);
    }
    clock.advanceSeconds(9 * 60 + 30);
    expect((await me(a.app, token)).status, 'after 59:30').to.equal(200);
    clock.advanceSeconds(29);
    await servedFromCache(a, token);
    clock.advanceSeconds(1);
    let status = 0;
    const q = await queriesDuring(a.container, async () => {
      status = (await me(a.app, token)).status;
    });
    expect(status, 'after 60:00').to.equal(401);
    expect(q.sessions, 'the copy itself knows its expiry').to.equal(0);
  });

  it('activity on B keeps a session alive that A last saw 40 minutes ago', async () => {
    const token = await login(a.app, 'hq-admin');
    await servedFromCache(a, token);
    for (let i = 0; i < 4; i++) {
      clock.advanceSeconds(10 * 60);
      expect((await me(b.app, token)).status).to.equal(200);
    }
    expect((await me(a.app, token)).status, 'A asks the database, which knows of the activity on B').to.equal(200);
    clock.advanceSeconds(30 * 60);
    expect((await me(a.app, token)).status).to.equal(401);
    expect((await me(b.app, token)).status).to.equal(401);
  });
});
