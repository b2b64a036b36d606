import { z } from 'zod';
import type { SignInsUseCase } from '../../../../application/auth/sign-ins.use-case.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, inQuery, reply } from './reply.js';
import { ConcurrentUseList, SignInList } from '../schemas/sign-in.schemas.js';

const TAGS = ['audit'];
const range = {
  from: z.coerce.date().optional().describe('ISO 8601; default: 30 days before to'),
  to: z.coerce.date().optional().describe('ISO 8601; default: now; at most 366 days after from'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
};
const readers = { description: 'AUTH.FORBIDDEN: auditors and the IT Office only' };

/** Account misuse traceable (Art. 15, 19): sign-ins per person, and one account in use from two addresses at once. */
export function signInRoutes(uc: { signIns: SignInsUseCase }): RouteSpec[] {
  const { signIns } = uc;
  return [
    route({
      method: 'get',
      path: '/api/v1/people/{personId}/sign-ins',
      operationId: 'listSignIns',
      summary: "A person's sign-ins, newest first: when, how, from which address and with which client",
      tags: TAGS,
      auth: true,
      params: z.object({ personId: z.string().min(1).max(64) }),
      query: z.object(range).strict(),
      responses: { 200: { description: 'sign-ins', schema: SignInList }, 403: readers },
      handle: async ({ params, query, ctx }) =>
        reply(inQuery(await signIns.ofPerson({ actor: actorOf(ctx), personId: params.personId, ...query }))),
    }),
    route({
      method: 'get',
      path: '/api/v1/sign-ins/concurrent',
      operationId: 'listConcurrentSignIns',
      summary: 'Accounts in use at the same time from different addresses (sessions opened in the range)',
      tags: TAGS,
      auth: true,
      query: z.object(range).strict(),
      responses: { 200: { description: 'pairs of sessions', schema: ConcurrentUseList }, 403: readers },
      handle: async ({ query, ctx }) => reply(inQuery(await signIns.concurrent({ actor: actorOf(ctx), ...query }))),
    }),
  ];
}
