import type { Container } from 'inversify';
import { z } from 'zod';
import type { LoginUseCase } from '../../../../application/auth/login/login.use-case.js';
import type { LogoutUseCase } from '../../../../application/auth/logout/logout.use-case.js';
import { ORGANISATION, type Organisation } from '../../../../application/ports/organisation.port.js';
import { POLICY_ENFORCER, type PolicyEnforcer } from '../../../../application/ports/policy-enforcer.port.js';
import { USE_CASES } from '../../../composition/tokens.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';

export function authRoutes(container: Container): RouteSpec[] {
  const login = container.get<LoginUseCase>(USE_CASES.login);
  const logout = container.get<LogoutUseCase>(USE_CASES.logout);
  const organisation = container.get<Organisation>(ORGANISATION);
  const enforcer = container.get<PolicyEnforcer>(POLICY_ENFORCER);
  return [
    route({
      method: 'post', path: '/api/v1/auth/login', operationId: 'login', summary: 'Sign in and receive a session token', tags: ['auth'], auth: false,
      body: z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(1024) }).strict(),
      responses: { 429: { description: 'too many failed attempts from this address' }, 200: { description: 'signed in', schema: z.object({ token: z.string(), expiresAt: z.string(), person: z.object({ id: z.string(), name: z.string(), unit: z.string(), type: z.string() }) }) } },
      handle: async ({ body, ctx, req }) => reply(await login.execute({ ...body, ip: req.ip ?? 'unknown', requestId: ctx.requestId })),
    }),
    route({
      method: 'post', path: '/api/v1/auth/logout', operationId: 'logout', summary: 'End the current session', tags: ['auth'], auth: true,
      responses: { 204: { description: 'signed out' } },
      handle: async ({ ctx }) => {
        await logout.execute({ sessionId: ctx.sessionId! });
        return { status: 204 };
      },
    }),
    route({
      method: 'get', path: '/api/v1/me', operationId: 'me', summary: 'Who I am and which roles I hold', tags: ['auth'], auth: true,
      responses: { 200: { description: 'the signed-in person' } },
      handle: async ({ ctx }) => {
        const actor = actorOf(ctx);
        const [person, roles] = await Promise.all([organisation.person(actor.personId), enforcer.rolesOf({ subject: actor.personId })]);
        return { status: 200, body: { ...person, roles: roles.map(({ role, unit }) => ({ role, unit })) } };
      },
    }),
  ];
}
