import { z } from 'zod';
import type { RoleFilingsUseCase } from '../../../../application/permissions/role-filings.use-case.js';
import { MAX_FILED_ITEMS, ROLE_FILING_STATES, type RoleFilingState } from '../../../../domain/people/role-filing.js';
import { pageQuery, route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { RoleFiling, RoleFilingPage } from '../schemas/permission.schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const key = z.string().min(1).max(64);
const TAGS = ['permissions'];
const states = z
  .string()
  .optional()
  .describe(`comma-separated: ${ROLE_FILING_STATES.join(', ')}`)
  .refine(
    (s) => !s || s.split(',').every((x) => (ROLE_FILING_STATES as readonly string[]).includes(x)),
    'unknown state',
  );

/** 备案 (Art. 4(3)2, 6): the units file who handles their items' nodes; the IT Office grants from the filings. */
export function roleFilingRoutes(uc: { roleFilings: RoleFilingsUseCase }): RouteSpec[] {
  const { roleFilings } = uc;
  return [
    route({
      method: 'post',
      path: '/api/v1/role-filings',
      operationId: 'fileRole',
      summary: "A unit's service admin files a role assignment for its unit (备案), for the IT Office to grant",
      tags: TAGS,
      auth: true,
      body: z
        .object({
          subject: key.describe('the person the role is for'),
          role: key.describe('a unit role, e.g. handler'),
          unit: key.describe('your unit, where the role is held'),
          items: z
            .array(
              z
                .object({
                  itemId: uuidParam,
                  nodes: z.array(key).max(50).default([]).describe('node keys; none: every node the role handles'),
                })
                .strict(),
            )
            .max(MAX_FILED_ITEMS)
            .default([])
            .describe('the items (and nodes) of the unit the person is to handle'),
          reason: text(1000),
          certificationId: uuidParam.optional().describe('the training certification, for roles that need one'),
        })
        .strict(),
      responses: {
        201: { description: 'filed; the IT Office is told', schema: RoleFiling },
        403: { description: "only the unit's service admin files for the unit" },
        409: { description: 'ROLE.ALREADY_HELD' },
      },
      handle: async ({ body, ctx }) => reply(await roleFilings.file({ actor: actorOf(ctx), ...body }), 201),
    }),
    route({
      method: 'get',
      path: '/api/v1/role-filings',
      operationId: 'listRoleFilings',
      summary: "Filings, newest first: the IT Office's queue (?state=pending), or a unit's own",
      tags: TAGS,
      auth: true,
      query: z.object({ state: states, unit: key.optional(), subject: key.optional(), ...pageQuery }).strict(),
      responses: { 200: { description: 'the filings you may read', schema: RoleFilingPage } },
      handle: async ({ query, ctx }) =>
        reply(
          await roleFilings.list({
            actor: actorOf(ctx),
            states: query.state ? (query.state.split(',') as RoleFilingState[]) : undefined,
            unit: query.unit,
            subject: query.subject,
            limit: query.limit,
            cursor: query.cursor,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/api/v1/role-filings/{filingId}',
      operationId: 'getRoleFiling',
      summary: 'One filing, with its decision',
      tags: TAGS,
      auth: true,
      params: z.object({ filingId: uuidParam }),
      responses: {
        200: { description: 'the filing', schema: RoleFiling },
        403: { description: 'not a filing of your unit' },
        404: { description: 'ROLE_FILING.NOT_FOUND' },
      },
      handle: async ({ params, ctx }) =>
        reply(await roleFilings.get({ actor: actorOf(ctx), filingId: params.filingId })),
    }),
    route({
      method: 'post',
      path: '/api/v1/role-filings/{filingId}/decision',
      operationId: 'decideRoleFiling',
      summary: 'The IT Office accepts a filing (the role is granted from it) or refuses it with a reason (nothing is)',
      tags: TAGS,
      auth: true,
      params: z.object({ filingId: uuidParam }),
      body: z.discriminatedUnion('decision', [
        z.object({ decision: z.literal('accept'), comment: text(1000).optional() }).strict(),
        z.object({ decision: z.literal('refuse'), reason: text(1000) }).strict(),
      ]),
      responses: {
        200: { description: 'decided', schema: RoleFiling },
        400: { description: 'accepting it would grant a role the person may not hold now: `errors` says why' },
        403: { description: 'only the IT Office decides filings' },
        404: { description: 'ROLE_FILING.NOT_FOUND' },
        409: { description: 'already decided, or the role is already held' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await roleFilings.decide({ actor: actorOf(ctx), filingId: params.filingId, ...body })),
    }),
  ];
}
