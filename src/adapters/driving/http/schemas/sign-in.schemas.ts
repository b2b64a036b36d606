import { z } from 'zod';
import { component, entityId, instant, personId } from './component.js';

export const SignIn = component(
  'SignIn',
  z.object({
    sessionId: entityId,
    personId,
    provider: z.string().describe('local (password), ldap, cas or oidc'),
    at: instant,
    ip: z.string().nullable().describe('the client address (X-Forwarded-For only from TRUSTED_PROXIES)'),
    client: z.string().nullable().describe('the User-Agent the client gave'),
    lastSeenAt: instant.describe('the last activity seen (at most a minute behind)'),
    endedAt: instant.nullable().describe('signed out, or ended by the IT Office; null: ended by expiry, or live'),
    expiresAt: instant,
  }),
);
export const SignInList = component('SignInList', z.object({ items: z.array(SignIn) }));
export const ConcurrentUseList = component(
  'ConcurrentUseList',
  z.object({
    items: z.array(
      z.object({
        personId,
        first: SignIn,
        second: SignIn.describe('in use while the first was, from another address'),
      }),
    ),
  }),
);
