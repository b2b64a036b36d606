import { expect } from 'chai';
import { SsoLoginUseCase } from '../../../../src/application/auth/sso-login.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

function setup() {
  const hall = hallWithCast();
  const cas = hall.sso[0]!;
  cas.tickets.set('ST-1', { personId: cast.handler.id, provider: 'cas', attributes: {}, returnTo: '/me/tasks' });
  cas.tickets.set('ST-2', { personId: cast.handler.id, provider: 'cas', attributes: {}, returnTo: null });
  const stranger = PersonMother.staff();
  cas.tickets.set('ST-X', { personId: stranger.id, provider: 'cas', attributes: {}, returnTo: null });
  const retired = PersonMother.staff({ status: 'retired' });
  hall.seed.people(retired);
  cas.tickets.set('ST-R', { personId: retired.id, provider: 'cas', attributes: {}, returnTo: null });
  const uc = new SsoLoginUseCase(hall);
  const complete = (ticket: string) =>
    uc.complete({ provider: 'cas', query: { ticket }, flow: null, ip: '10.0.0.1', requestId: 'req-3' });
  return { hall, cas, uc, complete, stranger, retired };
}

describe('SsoLoginUseCase (统一身份认证)', () => {
  it('sends the browser to the configured server, and says so when there is none or it is down', async () => {
    const { uc, cas } = setup();
    expect(value(await uc.begin({ provider: 'cas', returnTo: '/x' })).url).to.contain('sso.example');
    expect(failure(await uc.begin({ provider: 'oidc' })).code).to.equal('AUTH.SSO_NOT_CONFIGURED');
    cas.unreachable = new Error('ECONNREFUSED');
    const down = failure(await uc.begin({ provider: 'cas' }));
    expect([down.code, down.message]).to.deep.equal([
      'AUTH.SSO_UNAVAILABLE',
      'the sign-in server could not be reached: ECONNREFUSED',
    ]);
  });

  it('opens a session bound to the server-side sign-in for a person the hall knows, audited', async () => {
    const { hall, complete } = setup();
    const r = value(await complete('ST-1'));
    expect([r.person, r.returnTo]).to.deep.equal([{ id: cast.handler.id, name: cast.handler.name }, '/me/tasks']);
    expect(hall.db.state.sessions.map((s) => [s.personId, s.externalRef])).to.deep.equal([[cast.handler.id, 'ST-1']]);
    expect(hall.audit.map((e) => [e.action, e.actorId, e.entityId, e.requestId])).to.deep.equal([
      ['auth.login-succeeded', cast.handler.id, cast.handler.id, 'req-3'],
    ]);
  });

  it('refuses a ticket the server rejects, a person the hall does not know and one no longer active, auditing why', async () => {
    const { hall, complete, stranger, retired } = setup();
    expect(failure(await complete('ST-forged')).code).to.equal('AUTH.CAS_TICKET_REJECTED');
    expect(failure(await complete('ST-X')).code).to.equal('AUTH.ACCOUNT_DISABLED');
    expect(failure(await complete('ST-R')).code).to.equal('AUTH.ACCOUNT_DISABLED');
    expect(hall.db.state.sessions).to.deep.equal([]);
    expect(
      hall.audit.map((e) => [e.action, e.actorId, e.entityId, (e.after as { reason: string }).reason]),
    ).to.deep.equal([
      ['auth.sso-login-failed', 'anonymous', 'unknown', 'AUTH.CAS_TICKET_REJECTED'],
      ['auth.sso-login-failed', 'anonymous', stranger.id, 'not an active person of the hall'],
      ['auth.sso-login-failed', retired.id, retired.id, 'not an active person of the hall'],
    ]);
  });

  it('ends the sessions a single logout names, and only those, audited', async () => {
    const { hall, uc, complete } = setup();
    value(await complete('ST-1'));
    const other = value(await complete('ST-2'));
    expect(
      value(await uc.logout({ provider: 'cas', body: { logoutRequest: 'ST-1' }, from: '10.0.0.53' })),
    ).to.deep.equal({ ended: 1 });
    expect(value(await uc.logout({ provider: 'cas', body: {}, from: '10.0.0.53' }))).to.deep.equal({ ended: 0 });
    expect(await hall.sessions.resolve(other.token, hall.clock.now())).to.not.equal(null);
    expect(
      hall.audit.filter((e) => e.action === 'auth.single-logout').map((e) => [e.actorId, e.entityId, e.after]),
    ).to.deep.equal([['sso', 'ST-1', { ended: 1 }]]);
    expect(failure(await uc.logout({ provider: 'oidc', body: {}, from: '10.0.0.53' })).code).to.equal(
      'AUTH.SSO_NOT_CONFIGURED',
    );
  });

  it('refuses a single logout that does not come from the SSO server, even naming a live ticket, ending nothing', async () => {
    const { hall, uc, complete } = setup();
    const live = value(await complete('ST-1'));
    const before = hall.db.dump();
    const refused = failure(await uc.logout({ provider: 'cas', body: { logoutRequest: 'ST-1' }, from: '203.0.113.9' }));
    expect([refused.kind, refused.code]).to.deep.equal(['not-allowed', 'AUTH.LOGOUT_NOT_FROM_SSO_SERVER']);
    expect(hall.db.dump()).to.deep.equal(before);
    expect(await hall.sessions.resolve(live.token, hall.clock.now())).to.not.equal(null);
  });

  it('refuses a returnTo leading to another site at the start and at the callback, before the ticket is spent', async () => {
    const { hall, uc, complete } = setup();
    for (const returnTo of ['https://other.example', '//other.example', 'javascript:alert(1)'])
      expect(failure(await uc.begin({ provider: 'cas', returnTo })).code, returnTo).to.equal(
        'AUTH.RETURN_TO_NOT_ALLOWED',
      );
    const before = hall.db.dump();
    const refused = failure(
      await uc.complete({
        provider: 'cas',
        query: { ticket: 'ST-1', returnTo: '//other.example' },
        flow: null,
        ip: '10.0.0.1',
      }),
    );
    expect(refused.code).to.equal('AUTH.RETURN_TO_NOT_ALLOWED');
    expect(hall.db.dump()).to.deep.equal(before);
    expect(value(await uc.begin({ provider: 'cas', returnTo: 'https://portal.campus.example/tasks' })).url).to.contain(
      encodeURIComponent('https://portal.campus.example/tasks'),
    );
    expect(value(await complete('ST-1')).person.id).to.equal(cast.handler.id);
  });
});
