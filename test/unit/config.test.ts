import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration from the environment', () => {
  it('has working defaults for the embedded demo', () => {
    const c = loadConfig({});
    expect(c).to.include({ port: 8080, dataDir: './var', seedDemo: true, databaseUrl: undefined, logLevel: 'info' });
  });

  it('with DATABASE_URL: no demo data unless SEED_DEMO=1, and a session secret is required', () => {
    const url = 'postgres://u:p@db.example:5432/hall';
    expect(() => loadConfig({ DATABASE_URL: url })).to.throw(ConfigError, /SESSION_SECRET/);
    const secret = 'x'.repeat(32);
    expect(loadConfig({ DATABASE_URL: url, SESSION_SECRET: secret }).seedDemo).to.equal(false);
    expect(loadConfig({ DATABASE_URL: url, SESSION_SECRET: secret, SEED_DEMO: '1' }).seedDemo).to.equal(true);
  });

  it('reads business-system connectors from JSON', () => {
    const c = loadConfig({
      CONNECTORS: '{"dormitory-system":{"url":"http://dorm.campus.example/api/cases","timeoutMs":3000}}',
    });
    expect(c.connectors).to.deep.equal({
      'dormitory-system': { url: 'http://dorm.campus.example/api/cases', timeoutMs: 3000 },
    });
    expect(loadConfig({}).connectors).to.deep.equal({});
  });

  it('CAS turns local passwords off unless LOCAL_ACCOUNTS=1; its two URLs go together', () => {
    const cas = {
      CAS_URL: 'https://cas.campus.example/cas',
      CAS_SERVICE_URL: 'https://hall.campus.example/api/v1/auth/cas/callback',
    };
    expect(loadConfig(cas)).to.deep.include({ localAccounts: false });
    expect(loadConfig(cas).cas).to.include({
      serverUrl: 'https://cas.campus.example/cas',
      protocol: 'p3',
      idAttribute: 'user',
    });
    expect(loadConfig(cas).cas!.logoutAllowedAddresses).to.deep.equal([]);
    expect(
      loadConfig({ ...cas, CAS_LOGOUT_ALLOWED_ADDRESSES: '10.1.0.0/16,192.0.2.7' }).cas!.logoutAllowedAddresses,
    ).to.deep.equal(['10.1.0.0/16', '192.0.2.7']);
    expect(() => loadConfig({ ...cas, CAS_LOGOUT_ALLOWED_ADDRESSES: 'cas.campus.example' })).to.throw(
      ConfigError,
      /CAS_LOGOUT_ALLOWED_ADDRESSES/,
    );
    expect(loadConfig({ ...cas, LOCAL_ACCOUNTS: '1' }).localAccounts).to.equal(true);
    expect(loadConfig({}).localAccounts).to.equal(true);
    expect(() => loadConfig({ CAS_URL: cas.CAS_URL })).to.throw(ConfigError, /CAS_SERVICE_URL/);
  });

  it('OpenID Connect turns local passwords off; issuer, client id and redirect URI go together; the scopes must include openid', () => {
    const oidc = {
      OIDC_ISSUER: 'https://id.campus.example',
      OIDC_CLIENT_ID: 'service-hall',
      OIDC_REDIRECT_URI: 'https://hall.campus.example/api/v1/auth/oidc/callback',
    };
    expect(loadConfig(oidc).localAccounts).to.equal(false);
    expect(loadConfig({ ...oidc, OIDC_ID_CLAIM: 'employee_number' }).oidc).to.deep.equal({
      ...{ issuer: oidc.OIDC_ISSUER, clientId: 'service-hall', redirectUri: oidc.OIDC_REDIRECT_URI },
      clientSecret: undefined,
      scopes: 'openid profile',
      idClaim: 'employee_number',
      timeoutMs: 5000,
    });
    expect(() => loadConfig({ OIDC_ISSUER: oidc.OIDC_ISSUER, OIDC_CLIENT_ID: 'service-hall' })).to.throw(
      ConfigError,
      /OIDC_REDIRECT_URI/,
    );
    expect(() => loadConfig({ ...oidc, OIDC_SCOPES: 'profile email' })).to.throw(ConfigError, /OIDC_SCOPES/);
  });

  it('the outbox relay sends to the data platform only when DATA_PLATFORM_URL is set, with its token', () => {
    expect(loadConfig({}).outbox).to.deep.equal({
      http: undefined,
      nats: undefined,
      batchSize: 100,
      retentionDays: 30,
    });
    const c = loadConfig({
      DATA_PLATFORM_URL: 'https://data.campus.example/events',
      DATA_PLATFORM_TOKEN: 't0ken',
      OUTBOX_BATCH_SIZE: '50',
      OUTBOX_RETENTION_DAYS: '7',
    });
    expect(c.outbox).to.deep.equal({
      http: { url: 'https://data.campus.example/events', token: 't0ken', timeoutMs: 10_000, personalData: 'omit' },
      nats: undefined,
      batchSize: 50,
      retentionDays: 7,
    });
  });

  it('each bundled sink masks or leaves out personal form fields as configured (left out by default); anything else is refused, naming the variable', () => {
    const c = loadConfig({
      DATA_PLATFORM_URL: 'https://data.campus.example/events',
      DATA_PLATFORM_PERSONAL_DATA: 'mask',
      DATA_PLATFORM_NATS_URL: 'nats://10.0.0.5:4222',
    });
    expect([c.outbox.http!.personalData, c.outbox.nats!.personalData]).to.deep.equal(['mask', 'omit']);
    expect(() => loadConfig({ DATA_PLATFORM_NATS_PERSONAL_DATA: 'show' })).to.throw(
      ConfigError,
      /DATA_PLATFORM_NATS_PERSONAL_DATA/,
    );
  });

  it('the broker sink is on with DATA_PLATFORM_NATS_URL; a URL that is not nats:// is refused, naming the variable', () => {
    expect(
      loadConfig({ DATA_PLATFORM_NATS_URL: 'nats://10.0.0.5:4222,nats://10.0.0.6:4222' }).outbox.nats,
    ).to.deep.equal({
      servers: 'nats://10.0.0.5:4222,nats://10.0.0.6:4222',
      stream: 'HALL_EVENTS',
      subject: 'hall.events',
      timeoutMs: 10_000,
      personalData: 'omit',
    });
    expect(() => loadConfig({ DATA_PLATFORM_NATS_URL: 'http://broker' })).to.throw(
      ConfigError,
      /DATA_PLATFORM_NATS_URL/,
    );
    expect(() => loadConfig({ DATA_PLATFORM_NATS_SUBJECT: 'hall..events' })).to.throw(
      ConfigError,
      /DATA_PLATFORM_NATS_SUBJECT/,
    );
  });

  it('verified sessions are cached 30 s by default; 0 turns the cache off', () => {
    expect(loadConfig({}).sessionCacheSeconds).to.equal(30);
    expect(loadConfig({ SESSION_CACHE_SECONDS: '0' }).sessionCacheSeconds).to.equal(0);
    expect(loadConfig({ SESSION_CACHE_SECONDS: '300' }).sessionCacheSeconds).to.equal(300);
  });

  it('AUDIT_RETENTION_MONTHS: 6 by default, more may be set, less is refused naming the variable', () => {
    expect(loadConfig({}).audit.retentionMonths).to.equal(6);
    expect(loadConfig({ AUDIT_RETENTION_MONTHS: '24' }).audit.retentionMonths).to.equal(24);
    for (const value of ['5', '0', '-1', '6.5', 'six'])
      expect(() => loadConfig({ AUDIT_RETENTION_MONTHS: value }), value).to.throw(
        ConfigError,
        /AUDIT_RETENTION_MONTHS/,
      );
    expect(() => loadConfig({ AUDIT_RETENTION_MONTHS: '5' })).to.throw(/at least 6 months/);
  });

  it('a bad value is one line naming the variable', () => {
    for (const [name, value] of <Array<[string, string]>>[
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_URL', 'not a url'],
      ['SESSION_SECRET', 'short'],
      ['SEED_DEMO', 'yes'],
      ['CONNECTORS', '{not json'],
      ['CONNECTORS', '{"dorm":{"url":"nope"}}'],
      ['CASE_NUMBER_PATTERN', '{year}-{unit}'],
      ['ATTACHMENT_MAX_MB', '0'],
      ['SESSION_CACHE_SECONDS', '-1'],
      ['SESSION_CACHE_SECONDS', '301'],
      ['SESSION_CACHE_SECONDS', '1.5'],
      ['DATA_PLATFORM_URL', 'data platform'],
      ['OUTBOX_BATCH_SIZE', '0'],
    ]) {
      let error: unknown;
      try {
        loadConfig({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error, `${name}=${value}`).to.be.instanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).to.match(new RegExp(`^Invalid configuration: .*${name}`));
      expect(message).to.not.include('\n');
    }
  });

  it('TRUSTED_PROXIES: comma-separated addresses and CIDR ranges; none by default (X-Forwarded-For is ignored)', () => {
    expect(loadConfig({}).trustedProxies).to.deep.equal([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.5, 10.1.0.0/16,fd00::/8' }).trustedProxies).to.deep.equal([
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::/8',
    ]);
    for (const bad of ['loopback', '10.0.0.0/33', '10.0.0.1/8/1', 'proxy.campus.example'])
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).to.throw(ConfigError, /TRUSTED_PROXIES/);
  });

  it('METRICS_TOKEN: /metrics needs it when set; unset, it is open under the embedded demo only', () => {
    expect(loadConfig({}).metrics).to.deep.equal({ token: undefined, open: true });
    expect(loadConfig({ NODE_ENV: 'production' }).metrics).to.deep.equal({ token: undefined, open: false });
    const production = { DATABASE_URL: 'postgres://u:p@db.example:5432/hall', SESSION_SECRET: 's'.repeat(32) };
    expect(loadConfig(production).metrics).to.deep.equal({ token: undefined, open: false });
    const token = 'm'.repeat(32);
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).to.deep.equal({ token, open: false });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).to.throw(ConfigError, /METRICS_TOKEN/);
  });

  it('PORTAL_ORIGINS: comma-separated origins a sign-in may return to; none by default', () => {
    expect(loadConfig({}).portalOrigins).to.deep.equal([]);
    expect(
      loadConfig({ PORTAL_ORIGINS: 'https://portal.campus.example, http://localhost:5173' }).portalOrigins,
    ).to.deep.equal(['https://portal.campus.example', 'http://localhost:5173']);
    for (const bad of ['portal.campus.example', 'https://portal.campus.example/app', 'javascript:alert(1)'])
      expect(() => loadConfig({ PORTAL_ORIGINS: bad }), bad).to.throw(ConfigError, /PORTAL_ORIGINS/);
  });
});
