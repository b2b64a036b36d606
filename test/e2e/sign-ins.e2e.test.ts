import { expect } from 'chai';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { MovableClock } from '../fixtures/movable-clock.js';
import { cliEnvFor, hall } from '../fixtures/hall-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * Account misuse traceable (Art. 19) over HTTP on real PostgreSQL: every sign-in keeps its address
 * and client; the IT Center lists a person's sign-ins and finds one account in use from two
 * addresses at once, and not one used from two addresses one after the other.
 */
describe('sign-ins per person and concurrent use of an account (e2e)', () => {
  let t: TestApp;
  const clock = new MovableClock();
  before(async () => {
    // the requests come through a 'reverse proxy' on loopback that names the client
    t = await createTestApp(
      () => ({ clock }),
      (c) => ({ ...c, trustedProxies: ['127.0.0.1', '::1'] }),
    );
  });
  after(async () => {
    await t.close();
  });

  const login = async (username: string, ip: string, client: string) => {
    const r = await request(t.app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', ip)
      .set('User-Agent', client)
      .send({ username, password: DEMO_PASSWORD });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return r.body.token as string;
  };
  const use = (token: string) => request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
  const asOffice = async (path: string) =>
    request(t.app)
      .get(path)
      .set('Authorization', `Bearer ${await login('it-officer', '10.0.0.1', 'office')}`);

  it('lists a person’s sign-ins with address and client, and finds the account used from two addresses at once', async () => {
    // cw-handler at the office, and the same account from a dormitory while the office session is in use
    const office = await login('cw-handler', '10.20.0.5', 'Mozilla/5.0 (Windows NT 10.0)');
    clock.advanceSeconds(120);
    const dorm = await login('cw-handler', '172.16.9.9', 'Mozilla/5.0 (Linux; Android 14)');
    clock.advanceSeconds(120);
    expect((await use(office)).status).to.equal(200);
    expect((await use(dorm)).status).to.equal(200);
    // cw-admin: one address, then another after signing out (no overlap)
    const before = await login('cw-admin', '10.20.0.6', 'desk');
    await request(t.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${before}`);
    clock.advanceSeconds(3600);
    await login('cw-admin', '10.30.0.7', 'laptop');

    const mine = await asOffice('/api/v1/people/T0302/sign-ins');
    expect(mine.status, JSON.stringify(mine.body)).to.equal(200);
    expect(
      mine.body.items.map((s: { ip: string; client: string; provider: string }) => [s.ip, s.client, s.provider]),
    ).to.deep.equal([
      ['172.16.9.9', 'Mozilla/5.0 (Linux; Android 14)', 'local'],
      ['10.20.0.5', 'Mozilla/5.0 (Windows NT 10.0)', 'local'],
    ]);

    const concurrent = await asOffice('/api/v1/sign-ins/concurrent');
    expect(concurrent.status).to.equal(200);
    const pairs = concurrent.body.items as Array<{ personId: string; first: { ip: string }; second: { ip: string } }>;
    expect(pairs.map((p) => [p.personId, p.first.ip, p.second.ip])).to.deep.equal([
      ['T0302', '10.20.0.5', '172.16.9.9'],
    ]);

    // the same from the CLI
    const restore = cliEnvFor(t);
    try {
      const since = new Date(clock.now().getTime() - 7 * 86_400_000).toISOString();
      const until = new Date(clock.now().getTime() + 86_400_000).toISOString();
      const cli = await hall(
        'people',
        'concurrent',
        '--since',
        since,
        '--until',
        until,
        '--operator',
        'T0002',
        '--json',
      );
      expect(cli.error, String(cli.error?.message)).to.equal(undefined);
      expect(JSON.parse(cli.stdout).items.map((p: { personId: string }) => p.personId)).to.deep.equal(['T0302']);
      const list = await hall('people', 'sign-ins', 'T0302', '--since', since, '--until', until, '--operator', 'T0002');
      expect(list.stdout).to.include('172.16.9.9').and.include('Mozilla/5.0 (Windows NT 10.0)');
    } finally {
      restore();
    }
  });

  it('only auditors and the IT Office read sign-ins; a bad range names its field', async () => {
    const handler = await login('cw-handler', '10.20.0.5', 'x');
    const refused = await request(t.app).get('/api/v1/sign-ins/concurrent').set('Authorization', `Bearer ${handler}`);
    expect(refused.status).to.equal(403);
    const bad = await asOffice('/api/v1/sign-ins/concurrent?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(bad.status).to.equal(400);
    expect(bad.body.errors).to.deep.equal([{ in: 'query', path: '/from', message: 'must be before to' }]);
  });
});
