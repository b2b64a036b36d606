import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { IDENTITY_PROVIDER } from '../../application/ports/identity-provider.port.js';
import { POLICY_ENFORCER, type PolicyEnforcer } from '../../application/ports/policy-enforcer.port.js';
import { SESSION_STORE } from '../../application/ports/session-store.port.js';
import { DisabledIdentityProvider, LocalIdentityProvider } from '../driven/local-identity/local-identity-provider.js';
import { CasSsoProvider, type CasConfig } from '../driven/cas/cas-sso-provider.js';
import { OidcSsoProvider, type OidcConfig } from '../driven/oidc/oidc-sso-provider.js';
import { LdaptsIdentityProvider, type LdapConfig } from '../driven/ldapts/ldapts-identity-provider.js';
import { SSO_PROVIDERS } from '../../application/ports/sso-provider.port.js';
import { SignedTokenSessionStore } from '../driven/session/signed-token-session-store.js';
import { KnexLoginAttempts } from '../driven/session/knex-login-attempts.js';
import { LOGIN_ATTEMPTS } from '../../application/ports/login-attempts.port.js';
import { CachedSessionStore } from '../driven/session/cached-session-store.js';
import { SESSIONS_ENDED_CHANNEL } from '../driven/session/session-revocation.js';
import type { PgNotificationListener } from '../driven/pg-notify/pg-notification-listener.js';
import { SESSIONS_ENDED } from './tokens.js';

export const authModule = (o: { knex: Knex; enforcer: PolicyEnforcer; sessionSecret: string; sessionTtlMinutes: number; sessionIdleMinutes: number; sessionCacheSeconds: number; notifications: PgNotificationListener; cas: CasConfig | undefined; oidc: OidcConfig | undefined; ldap: LdapConfig | undefined; localAccounts: boolean }) =>
  new ContainerModule(({ bind }) => {
    bind(POLICY_ENFORCER).toConstantValue(o.enforcer);
    // password sign-in: the directory when there is one, local demo accounts when allowed
    bind(IDENTITY_PROVIDER).toConstantValue(o.ldap ? new LdaptsIdentityProvider(o.ldap) : o.localAccounts ? new LocalIdentityProvider(o.knex) : new DisabledIdentityProvider());
    bind(SSO_PROVIDERS).toConstantValue([...o.cas ? [new CasSsoProvider(o.cas)] : [], ...o.oidc ? [new OidcSsoProvider(o.oidc)] : []]);
    const sessions = new SignedTokenSessionStore(o.knex, o.sessionSecret, o.sessionTtlMinutes, o.sessionIdleMinutes);
    if (o.sessionCacheSeconds > 0) {
      // verified sessions are remembered for a while; sessions ended on any instance are forgotten
      // when their NOTIFY arrives, and everything is forgotten while that cannot be heard
      const cache = new CachedSessionStore(sessions, { ttlSeconds: o.sessionCacheSeconds, idleMinutes: o.sessionIdleMinutes });
      o.notifications.listen(SESSIONS_ENDED_CHANNEL, {
        notification: (sessionId) => cache.forget(sessionId),
        listening: () => cache.resume(),
        lost: () => cache.suspend(),
      });
      bind(SESSION_STORE).toConstantValue(cache);
      bind(SESSIONS_ENDED).toConstantValue((ids: string[]) => { for (const id of ids) cache.forget(id); });
    } else {
      bind(SESSION_STORE).toConstantValue(sessions);
      bind(SESSIONS_ENDED).toConstantValue(() => undefined);
    }
    bind(LOGIN_ATTEMPTS).toConstantValue(new KnexLoginAttempts(o.knex));
  });
