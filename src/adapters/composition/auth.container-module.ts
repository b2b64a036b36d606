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

export const authModule = (o: { knex: Knex; enforcer: PolicyEnforcer; sessionSecret: string; sessionTtlMinutes: number; sessionIdleMinutes: number; cas: CasConfig | undefined; oidc: OidcConfig | undefined; ldap: LdapConfig | undefined; localAccounts: boolean }) =>
  new ContainerModule(({ bind }) => {
    bind(POLICY_ENFORCER).toConstantValue(o.enforcer);
    // password sign-in: the directory when there is one, local demo accounts when allowed
    bind(IDENTITY_PROVIDER).toConstantValue(o.ldap ? new LdaptsIdentityProvider(o.ldap) : o.localAccounts ? new LocalIdentityProvider(o.knex) : new DisabledIdentityProvider());
    bind(SSO_PROVIDERS).toConstantValue([...o.cas ? [new CasSsoProvider(o.cas)] : [], ...o.oidc ? [new OidcSsoProvider(o.oidc)] : []]);
    bind(SESSION_STORE).toConstantValue(new SignedTokenSessionStore(o.knex, o.sessionSecret, o.sessionTtlMinutes, o.sessionIdleMinutes));
    bind(LOGIN_ATTEMPTS).toConstantValue(new KnexLoginAttempts(o.knex));
  });
