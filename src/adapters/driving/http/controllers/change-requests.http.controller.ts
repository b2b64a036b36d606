import { z } from 'zod';
import type { ChangeRequestsUseCase } from '../../../../application/service-items/change-requests.use-case.js';
import {
  CHANGE_ASPECTS,
  CHANGE_REQUEST_STATES,
  MAX_CHANGE_NEEDS,
  type ChangeRequestState,
} from '../../../../domain/service-item/change-request.js';
import { pageQuery, route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { ChangeRequest, ChangeRequestPage } from '../schemas/change-request.schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const TAGS = ['service items'];
const states = z
  .string()
  .optional()
  .describe(`comma-separated: ${CHANGE_REQUEST_STATES.join(', ')}`)
  .refine(
    (s) => !s || s.split(',').every((x) => (CHANGE_REQUEST_STATES as readonly string[]).includes(x)),
    'unknown state',
  );
const statesOf = (s: string | undefined) => (s ? (s.split(',') as ChangeRequestState[]) : undefined);

/** 变更申请 (Art. 11): filed by the owning unit, decided by the IT Office. */
export function changeRequestRoutes(uc: { changeRequests: ChangeRequestsUseCase }): RouteSpec[] {
  const { changeRequests } = uc;
  return [
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/change-requests',
      operationId: 'requestChange',
      summary: 'Request a change of an online item (变更申请): what changes and why, for the IT Office to accept',
      tags: TAGS,
      auth: true,
      params: z.object({ itemId: uuidParam }),
      body: z
        .object({
          reason: text(1000).describe('why the item changes'),
          needs: z
            .array(z.object({ aspect: z.enum(CHANGE_ASPECTS), description: text(2000) }).strict())
            .min(1)
            .max(MAX_CHANGE_NEEDS)
            .describe('what changes (变更需求)'),
        })
        .strict(),
      responses: {
        201: { description: 'filed; the item is change_pending until the IT Office decides', schema: ChangeRequest },
        403: { description: "only the owning unit's service admin files a change" },
        404: { description: 'SERVICE_ITEM.NOT_FOUND' },
        409: { description: 'not online, a change already pending, or a draft version already open' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await changeRequests.file({ actor: actorOf(ctx), itemId: params.itemId, ...body }), 201),
    }),
    route({
      method: 'get',
      path: '/api/v1/change-requests',
      operationId: 'listChangeRequests',
      summary: "Change requests, newest first: the IT Office's queue (?state=pending), or a unit's own",
      tags: TAGS,
      auth: true,
      query: z.object({ state: states, itemId: uuidParam.optional(), ...pageQuery }).strict(),
      responses: {
        200: { description: 'the requests of the items you may read', schema: ChangeRequestPage },
        404: { description: 'SERVICE_ITEM.NOT_FOUND: the itemId filter names no item' },
      },
      handle: async ({ query, ctx }) =>
        reply(
          await changeRequests.list({
            actor: actorOf(ctx),
            itemId: query.itemId,
            states: statesOf(query.state),
            limit: query.limit,
            cursor: query.cursor,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/api/v1/change-requests/{requestId}',
      operationId: 'getChangeRequest',
      summary: 'One change request, with its decision',
      tags: TAGS,
      auth: true,
      params: z.object({ requestId: uuidParam }),
      responses: {
        200: { description: 'the request', schema: ChangeRequest },
        403: { description: 'you do not read the owning unit’s items' },
        404: { description: 'CHANGE_REQUEST.NOT_FOUND' },
      },
      handle: async ({ params, ctx }) =>
        reply(await changeRequests.get({ actor: actorOf(ctx), requestId: params.requestId })),
    }),
    route({
      method: 'post',
      path: '/api/v1/change-requests/{requestId}/decision',
      operationId: 'decideChangeRequest',
      summary: 'The IT Office accepts a change request (the draft version opens) or refuses it with a reason',
      tags: TAGS,
      auth: true,
      params: z.object({ requestId: uuidParam }),
      body: z.discriminatedUnion('decision', [
        z.object({ decision: z.literal('accept'), comment: text(1000).optional() }).strict(),
        z.object({ decision: z.literal('refuse'), reason: text(1000) }).strict(),
      ]),
      responses: {
        200: { description: 'decided; an accepted one names the draft version it opened', schema: ChangeRequest },
        403: { description: 'only the IT Office decides change requests' },
        404: { description: 'CHANGE_REQUEST.NOT_FOUND' },
        409: { description: 'already decided' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await changeRequests.decide({ actor: actorOf(ctx), requestId: params.requestId, ...body })),
    }),
  ];
}
