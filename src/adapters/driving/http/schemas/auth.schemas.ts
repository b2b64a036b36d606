import { z } from 'zod';
import { component, instant, personId } from './component.js';

/** A session opened by signing in with a password. */
export const Session = component(
  'Session',
  z.object({
    token: z.string().describe('send as Authorization: Bearer <token>'),
    expiresAt: instant,
    person: z.object({ id: personId, name: z.string(), unit: z.string(), type: z.string() }),
  }),
);

/** A session opened by single sign-on, and where the sign-in was meant to return to. */
export const SsoSession = component(
  'SsoSession',
  z.object({
    token: z.string(),
    expiresAt: instant,
    person: z.object({ id: personId, name: z.string() }),
    returnTo: z.string().nullable(),
  }),
);

/** The signed-in person as the directory knows them, and the roles they hold. */
export const Me = component(
  'Me',
  z.object({
    id: personId.optional(),
    name: z.string().optional(),
    type: z.enum(['staff', 'student']).optional(),
    unit: z.string().optional(),
    status: z.enum(['active', 'left', 'retired', 'suspended']).optional(),
    email: z.string().nullable().optional(),
    roles: z.array(z.object({ role: z.string(), unit: z.string() })),
  }),
);

export const SingleLogoutResult = component(
  'SingleLogoutResult',
  z.object({ ended: z.number().int().describe('sessions ended') }),
);
