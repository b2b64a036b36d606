import { expect } from 'chai';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { MovableClock } from '../fixtures/movable-clock.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

describe('sessions and sign-in protection (e2e)', () => {
  let t: TestApp;
  const clock = new MovableClock();
  before(async () => {
    // the test's requests come through a 'reverse proxy' on loopback that names the client
    t = await createTestApp(
      () => ({ clock }),
      (c) => ({ ...c, trustedProxies: ['127.0.0.1', '::1'] }),
    );
  });
  after(async () => {
    await t.close();
  });

  const login = (username: string, password: string, ip = '10.1.2.3') =>
    request(t.app).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });
  const me = (token: string) => request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);

  it('a session unused for longer than the idle timeout (30 min) ends; activity keeps it alive', async () => {
    const token = (await login('jw-admin', DEMO_PASSWORD)).body.token as string;
    clock.advanceSeconds(25 * 60);
    expect((await me(token)).status).to.equal(200);
    clock.advanceSeconds(25 * 60);
    expect((await me(token)).status, 'active 25 minutes ago').to.equal(200);
    clock.advanceSeconds(31 * 60);
    expect((await me(token)).status, 'idle 31 minutes').to.equal(401);
  });

  it('a session ends at its absolute lifetime (60 min here) however active it is', async () => {
    const token = (await login('jw-handler', DEMO_PASSWORD)).body.token as string;
    for (let i = 0; i < 5; i++) {
      clock.advanceSeconds(11 * 60);
      expect((await me(token)).status, `after ${(i + 1) * 11} min`).to.equal(200);
    }
    clock.advanceSeconds(6 * 60);
    expect((await me(token)).status, 'after 61 min').to.equal(401);
  });

  it('after 5 failures for one account, even the right password is refused from any address until the window passes, with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await login('cw-admin', 'guess', `10.9.9.${i}`)).status).to.equal(401);
    const blocked = await login('cw-admin', DEMO_PASSWORD, '10.9.9.9');
    expect(blocked.status).to.equal(429);
    expect(blocked.body).to.include({ code: 'AUTH.TOO_MANY_ATTEMPTS', retryAfterSeconds: 900 });
    expect(blocked.headers['retry-after']).to.equal('900');
    expect((await login('cw-admin', DEMO_PASSWORD, '10.8.8.8')).status, 'another address is blocked too').to.equal(429);
    clock.advanceSeconds(16 * 60);
    expect((await login('cw-admin', DEMO_PASSWORD, '10.9.9.9')).status, 'after the window').to.equal(200);
  });

  it('a success resets the count of failures', async () => {
    for (let i = 0; i < 4; i++) await login('xg-admin', 'guess', '10.7.7.7');
    expect((await login('xg-admin', DEMO_PASSWORD, '10.7.7.7')).status).to.equal(200);
    for (let i = 0; i < 4; i++) await login('xg-admin', 'guess', '10.7.7.7');
    expect((await login('xg-admin', DEMO_PASSWORD, '10.7.7.7')).status).to.equal(200);
  });

  it('every sign-in attempt is audited with the address: success, failure and refusal', async () => {
    const rows = await t.db
      .knex('audit_log')
      .where({ entity_type: 'account', entity_id: 'cw-admin' })
      .orderBy('pos')
      .select('action', 'actor_id', 'after');
    const actions = rows.map((r: { action: string }) => r.action);
    expect(actions.filter((a: string) => a === 'auth.login-failed')).to.have.length(5);
    expect(actions).to.include('auth.login-blocked');
    const success = rows.find((r: { action: string }) => r.action === 'auth.login-succeeded') as {
      actor_id: string;
      after: { ip: string };
    };
    expect(success.actor_id).to.equal('T0301');
    expect(success.after.ip).to.match(/^10\./);
  });
});

describe('sign-in protection without a trusted proxy (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('ignores X-Forwarded-For: a new header value per guess neither escapes the lockout nor reaches the audit', async () => {
    for (let i = 0; i < 30; i++) {
      const guess = await request(t.app)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ username: 'hq-admin', password: `guess-${i}` });
      expect(guess.status, `guess ${i}`).to.be.oneOf([401, 429]);
    }
    const right = await request(t.app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '198.51.100.7')
      .send({ username: 'hq-admin', password: DEMO_PASSWORD });
    expect(right.status).to.equal(429);
    expect(Number(right.headers['retry-after'])).to.be.greaterThan(0);
    const addresses = await t.db.knex('login_attempts').where({ username: 'hq-admin' }).distinct('ip').pluck('ip');
    expect(addresses).to.have.length(1);
    expect(addresses[0]).to.match(/127\.0\.0\.1|::1/);
  });
});
