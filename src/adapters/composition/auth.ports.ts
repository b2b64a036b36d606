import type { Knex } from 'knex';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { LoginAttempts } from '../../application/ports/login-attempts.port.js';
import type { PolicyEnforcer } from '../../application/ports/policy-enforcer.port.js';
import type { SessionStore } from '../../application/ports/session-store.port.js';
import type { SsoProvider } from '../../application/ports/sso-provider.port.js';
import { CasSsoProvider, type CasConfig } from '../driven/cas/cas-sso-provider.js';
import { LdaptsIdentityProvider, type LdapConfig } from '../driven/ldapts/ldapts-identity-provider.js';
import { DisabledIdentityProvider, LocalIdentityProvider } from '../driven/local-identity/local-identity-provider.js';
import { OidcSsoProvider, type OidcConfig } from '../driven/oidc/oidc-sso-provider.js';
import type { PgNotificationListener } from '../driven/pg-notify/pg-notification-listener.js';
import { CachedSessionStore } from '../driven/session/cached-session-store.js';
import { KnexLoginAttempts } from '../driven/session/knex-login-attempts.js';
import { SESSIONS_ENDED_CHANNEL } from '../driven/session/session-revocation.js';
import { SignedTokenSessionStore } from '../driven/session/signed-token-session-store.js';

/**
 * Signing in and deciding: the policy enforcer, password and single sign-on providers, sessions.
 * `sessionsEnded` is what this instance does, after commit, with the sessions a transaction ended
 * (the unit of work is told; the session cache forgets them at once).
 */
export function authPorts(o: {
  knex: Knex;
  enforcer: PolicyEnforcer;
  sessionSecret: string;
  sessionTtlMinutes: number;
  sessionIdleMinutes: number;
  sessionCacheSeconds: number;
  notifications: PgNotificationListener;
  cas: CasConfig | undefined;
  oidc: OidcConfig | undefined;
  ldap: LdapConfig | undefined;
  localAccounts: boolean;
}): {
  ports: {
    enforcer: PolicyEnforcer;
    identity: IdentityProvider;
    sso: SsoProvider[];
    sessions: SessionStore;
    loginAttempts: LoginAttempts;
  };
  sessionsEnded: (sessionIds: string[]) => void;
} {
  // password sign-in: the directory when there is one, local demo accounts when allowed
  const identity = o.ldap
    ? new LdaptsIdentityProvider(o.ldap)
    : o.localAccounts
      ? new LocalIdentityProvider(o.knex)
      : new DisabledIdentityProvider();
  const sso = [...(o.cas ? [new CasSsoProvider(o.cas)] : []), ...(o.oidc ? [new OidcSsoProvider(o.oidc)] : [])];
  const signed = new SignedTokenSessionStore(o.knex, o.sessionSecret, o.sessionTtlMinutes, o.sessionIdleMinutes);
  let sessions: SessionStore = signed;
  let sessionsEnded: (sessionIds: string[]) => void = () => undefined;
  if (o.sessionCacheSeconds > 0) {
    // verified sessions are remembered for a while; sessions ended on any instance are forgotten
    // when their NOTIFY arrives, and everything is forgotten while that cannot be heard
    const cache = new CachedSessionStore(signed, {
      ttlSeconds: o.sessionCacheSeconds,
      idleMinutes: o.sessionIdleMinutes,
    });
    o.notifications.listen(SESSIONS_ENDED_CHANNEL, {
      notification: (sessionId) => cache.forget(sessionId),
      listening: () => cache.resume(),
      lost: () => cache.suspend(),
    });
    sessions = cache;
    sessionsEnded = (ids) => {
      for (const id of ids) cache.forget(id);
    };
  }
  return {
    ports: { enforcer: o.enforcer, identity, sso, sessions, loginAttempts: new KnexLoginAttempts(o.knex) },
    sessionsEnded,
  };
}
