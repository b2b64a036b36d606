import { expect } from 'chai';
import { LoginUseCase } from '../../../../src/application/auth/login.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { FakeIdentityProvider } from '../../../fakes/fake-identity.js';
import { PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

function setup() {
  const hall = hallWithCast();
  const leaver = PersonMother.staff({ status: 'left' });
  hall.seed.people(leaver);
  const identity = new FakeIdentityProvider({
    'cw-handler': { password: 'hall-demo-2026', personId: cast.handler.id },
    gone: { password: 'hall-demo-2026', personId: leaver.id },
  });
  const uc = new LoginUseCase({ ...hall, identity });
  const login = (username: string, password = 'hall-demo-2026', ip = '10.0.0.1') =>
    uc.execute({ username, password, ip, client: 'Mozilla/5.0 (X11)', requestId: 'req-9' });
  return { hall, leaver, login };
}

describe('LoginUseCase', () => {
  it('opens a session for an active person, and records and audits the sign-in', async () => {
    const { hall, login } = setup();
    const r = value(await login('cw-handler'));
    expect(r.person).to.deep.equal({ id: cast.handler.id, name: cast.handler.name, unit: 'finance', type: 'staff' });
    const session = (await hall.sessions.resolve(r.token, hall.clock.now()))!;
    expect([session.personId, r.expiresAt]).to.deep.equal([cast.handler.id, session.expiresAt.toISOString()]);
    expect(hall.db.state.loginAttempts.map((a) => [a.username, a.success])).to.deep.equal([['cw-handler', true]]);
    expect(hall.audit.map((e) => [e.action, e.actorId, e.entityType, e.entityId, e.requestId, e.after])).to.deep.equal([
      [
        'auth.login-succeeded',
        cast.handler.id,
        'account',
        'cw-handler',
        'req-9',
        { ip: '10.0.0.1', client: 'Mozilla/5.0 (X11)', provider: 'local', sessionId: session.id },
      ],
    ]);
    // the session keeps where and with what (Art. 19)
    expect(hall.db.state.sessions.find((s) => s.id === session.id)).to.deep.include({
      ip: '10.0.0.1',
      client: 'Mozilla/5.0 (X11)',
    });
  });

  it('counts each sign-in for operations: success, failure, locked', async () => {
    const { hall, login } = setup();
    value(await login('cw-handler', 'hall-demo-2026', '10.0.0.7'));
    for (let i = 0; i < 5; i++) failure(await login('gone', 'wrong'));
    failure(await login('gone'));
    expect(hall.metrics.signIns).to.deep.equal([
      { method: 'password', outcome: 'success' },
      ...Array(5).fill({ method: 'password', outcome: 'failure' }),
      { method: 'password', outcome: 'locked' },
    ]);
  });

  it('refuses a wrong password, and audits the failed attempt anonymously', async () => {
    const { hall, login } = setup();
    expect(failure(await login('cw-handler', 'guess')).code).to.equal('AUTH.INVALID_CREDENTIALS');
    expect(hall.db.state.sessions).to.deep.equal([]);
    expect(hall.audit.map((e) => [e.action, e.actorId])).to.deep.equal([['auth.login-failed', 'anonymous']]);
    expect(hall.db.state.loginAttempts.map((a) => a.success)).to.deep.equal([false]);
  });

  it('refuses a person who is no longer active, naming them in the audit', async () => {
    const { hall, leaver, login } = setup();
    expect(failure(await login('gone')).code).to.equal('AUTH.ACCOUNT_DISABLED');
    expect(hall.audit.map((e) => [e.action, e.actorId])).to.deep.equal([['auth.login-failed', leaver.id]]);
  });

  it('locks an account after five failures in 15 minutes, from whichever addresses, even with the right password, until the window passes', async () => {
    const { hall, login } = setup();
    for (let i = 0; i < 5; i++) failure(await login('cw-handler', 'guess', `10.0.0.${i + 10}`));
    const blocked = failure(await login('cw-handler'));
    expect([blocked.kind, blocked.code, blocked.details]).to.deep.equal([
      'rate-limited',
      'AUTH.TOO_MANY_ATTEMPTS',
      { retryAfterSeconds: 900 },
    ]);
    expect(hall.audit.at(-1)!.action).to.equal('auth.login-blocked');
    expect(failure(await login('cw-handler', 'hall-demo-2026', '10.0.0.99')).code, 'a new address').to.equal(
      'AUTH.TOO_MANY_ATTEMPTS',
    );
    expect(
      failure(await login('CW-Handler ', 'hall-demo-2026', '10.0.0.98')).code,
      'the name spelt otherwise',
    ).to.equal('AUTH.TOO_MANY_ATTEMPTS');
    hall.clock.advance({ minutes: 16 });
    expect(value(await login('cw-handler')).person.id, 'the window has passed').to.equal(cast.handler.id);
  });

  it('refuses an address after fifty failures in 15 minutes whichever accounts it tried; other addresses still sign in', async () => {
    const { login } = setup();
    for (let i = 0; i < 50; i++) failure(await login(`someone-${i}`, 'guess', '10.6.6.6'));
    expect(failure(await login('cw-handler', 'hall-demo-2026', '10.6.6.6')).code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
    expect(value(await login('cw-handler', 'hall-demo-2026', '10.0.0.7')).person.id).to.equal(cast.handler.id);
  });
});
