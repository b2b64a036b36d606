import { expect } from 'chai';
import request from 'supertest';
import { OidcSsoProvider, type OidcConfig } from '../../src/adapters/driven/oidc/oidc-sso-provider.js';
import { freePort } from '../../src/adapters/driven/embedded-postgres/embedded-database.js';
import { TestOidcProvider } from '../fixtures/oidc-provider.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const REDIRECT = 'http://hall.campus.test/api/v1/auth/oidc/callback';

describe('OpenID Connect sign-in (e2e, a real oidc-provider over HTTP)', function () {
  this.timeout(30_000);
  const op = new TestOidcProvider(
    {
      'u-7f3a': { preferred_username: 'T0101', name: '陈教务' },
      'u-0000': { preferred_username: 'T9999', name: '不在办事大厅' },
    },
    REDIRECT,
  );
  let t: TestApp;
  let oidc: OidcConfig;
  before(async () => {
    await op.start();
    oidc = {
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: op.clientSecret,
      redirectUri: REDIRECT,
      scopes: 'openid profile',
      idClaim: 'preferred_username',
      timeoutMs: 3000,
    };
    t = await createTestApp(undefined, (c) => ({ ...c, localAccounts: false, oidc }));
  });
  after(async () => {
    await t.close();
    await op.stop();
  });

  /** A browser: the hall's redirect (keeping its cookie), the provider's sign-in, back to the callback. */
  async function start(returnTo?: string) {
    const res = await request(t.app).get(
      `/api/v1/auth/oidc/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`,
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(302);
    const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    return {
      location: new URL(res.headers.location as string),
      setCookie: String(res.headers['set-cookie']?.[0]),
      cookie,
    };
  }
  const callback = (back: URL, cookie?: string) => {
    const req = request(t.app).get(`/api/v1/auth/oidc/callback${back.search}`);
    return cookie ? req.set('Cookie', cookie) : req;
  };

  it('code flow with PKCE: redirects with S256 challenge, state and nonce, then opens a session for the person the ID token names', async () => {
    const { location, setCookie, cookie } = await start('/portal/tasks');
    expect(location.origin).to.equal(op.issuer);
    expect(Object.fromEntries(location.searchParams)).to.include({
      client_id: op.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid profile',
    });
    expect(location.searchParams.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).to.have.length.greaterThan(20);
    expect(location.searchParams.get('nonce')).to.have.length.greaterThan(20);
    expect(setCookie)
      .to.match(/HttpOnly/)
      .and.match(/SameSite=Lax/)
      .and.match(/Path=\/api\/v1\/auth\/oidc/);
    // the PKCE verifier never travels through the provider
    expect(location.href).to.not.include(cookie.split('=')[1]!.slice(0, 20));

    const back = await op.signIn(location.href, 'u-7f3a');
    const res = await callback(back, cookie);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ person: { id: 'T0101', name: '陈教务' }, returnTo: '/portal/tasks' });
    expect(String(res.headers['set-cookie'])).to.match(/hall_sso_oidc=;.*Max-Age=0/);
    const me = await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.body.id).to.equal('T0101');
    const audit = await t.db
      .knex('audit_log')
      .where({ action: 'auth.login-succeeded', entity_id: 'T0101' })
      .orderBy('pos', 'desc')
      .first();
    expect(audit.after).to.include({ provider: 'oidc' });
  });

  it('a callback in a browser that did not start the sign-in (no cookie, or a forged one) is refused: no login CSRF', async () => {
    const { location, cookie } = await start();
    const back = await op.signIn(location.href, 'u-7f3a');
    expect((await callback(back)).body.code).to.equal('AUTH.OIDC_NO_FLOW');
    const [name, value] = cookie.split('=');
    const forged = `${name}=${value!.slice(0, -2)}${value!.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await callback(back, forged);
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH.OIDC_NO_FLOW');
  });

  it('the answer to one sign-in cannot finish another (state mismatch)', async () => {
    const first = await start();
    const second = await start();
    const back = await op.signIn(second.location.href, 'u-7f3a');
    const res = await callback(back, first.cookie);
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH.OIDC_STATE_MISMATCH');
  });

  it('a code is good once: replaying it is refused by the provider', async () => {
    const { location, cookie } = await start();
    const back = await op.signIn(location.href, 'u-7f3a');
    expect((await callback(back, cookie)).status).to.equal(200);
    const replay = await callback(back, cookie);
    expect(replay.status).to.equal(401);
    expect(replay.body.code).to.equal('AUTH.OIDC_TOKEN_REFUSED');
  });

  it('PKCE: the code does not redeem without the verifier that made its challenge', async () => {
    const provider = new OidcSsoProvider(oidc);
    const { url, flow } = await provider.begin({});
    const back = await op.signIn(url, 'u-7f3a');
    const r = await provider.complete({
      query: Object.fromEntries(back.searchParams),
      flow: { ...flow, verifier: 'x'.repeat(43) },
    });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.code).to.equal('AUTH.OIDC_TOKEN_REFUSED');
  });

  it('a person who does not sign in at the provider comes back with an error and gets no session', async () => {
    const { location, cookie } = await start();
    const back = await op.signIn(location.href, 'nobody');
    expect(back.searchParams.get('error')).to.equal('access_denied');
    const res = await callback(back, cookie);
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH.OIDC_DENIED');
  });

  it('someone the provider knows but the hall does not gets no session, and the attempt is audited', async () => {
    const { location, cookie } = await start();
    const res = await callback(await op.signIn(location.href, 'u-0000'), cookie);
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH.ACCOUNT_DISABLED');
    expect(
      await t.db.knex('audit_log').where({ action: 'auth.sso-login-failed', entity_id: 'T9999' }).first(),
    ).to.not.equal(undefined);
  });

  it('an unreachable provider is a clear refusal at the login redirect, not a crash', async () => {
    const closed = await freePort();
    const other = await createTestApp(undefined, (c) => ({
      ...c,
      localAccounts: false,
      oidc: { ...oidc, issuer: `http://127.0.0.1:${closed}`, timeoutMs: 1000 },
    }));
    try {
      const res = await request(other.app).get('/api/v1/auth/oidc/login');
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('AUTH.SSO_UNAVAILABLE');
      expect(res.headers['set-cookie']).to.equal(undefined);
    } finally {
      await other.close();
    }
  });

  it('CAS routes answer 404 when only OpenID Connect is configured, and local passwords are off', async () => {
    expect((await request(t.app).get('/api/v1/auth/cas/login')).body.code).to.equal('AUTH.SSO_NOT_CONFIGURED');
    expect(
      (await request(t.app).post('/api/v1/auth/login').send({ username: 'jw-admin', password: 'x' })).body.code,
    ).to.equal('AUTH.LOCAL_ACCOUNTS_DISABLED');
  });
});
