import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { IDENTITY_PROVIDER } from '../../application/ports/identity-provider.port.js';
import { POLICY_ENFORCER, type PolicyEnforcer } from '../../application/ports/policy-enforcer.port.js';
import { SESSION_STORE } from '../../application/ports/session-store.port.js';
import { LocalIdentityProvider } from '../driven/local-identity/local-identity-provider.js';
import { SignedTokenSessionStore } from '../driven/session/signed-token-session-store.js';
import { KnexLoginAttempts } from '../driven/session/knex-login-attempts.js';
import { LOGIN_ATTEMPTS } from '../../application/ports/login-attempts.port.js';

export const authModule = (o: { knex: Knex; enforcer: PolicyEnforcer; sessionSecret: string; sessionTtlMinutes: number; sessionIdleMinutes: number }) =>
  new ContainerModule(({ bind }) => {
    bind(POLICY_ENFORCER).toConstantValue(o.enforcer);
    bind(IDENTITY_PROVIDER).toConstantValue(new LocalIdentityProvider(o.knex));
    bind(SESSION_STORE).toConstantValue(new SignedTokenSessionStore(o.knex, o.sessionSecret, o.sessionTtlMinutes, o.sessionIdleMinutes));
    bind(LOGIN_ATTEMPTS).toConstantValue(new KnexLoginAttempts(o.knex));
  });
