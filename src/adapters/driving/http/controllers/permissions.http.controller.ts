import { z } from 'zod';
import type { PermissionsUseCase } from '../../../../application/permissions/permissions.use-case.js';
import type { OffboardPersonUseCase } from '../../../../application/people/offboard-person.use-case.js';
import type { CertificationExpiryUseCase } from '../../../../application/permissions/certification-expiry.use-case.js';
import type { ChangePostUseCase } from '../../../../application/people/change-post.use-case.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import {
  Certification,
  ExpiringRoleList,
  HandoverReport,
  PostChangeReport,
  RoleAssignment,
  RoleAssignmentList,
} from '../schemas/permission.schemas.js';

const itOffice = { description: 'AUTH.FORBIDDEN: the IT Office only' };

const assignment = z
  .object({
    subject: z.string().min(1).max(64).describe('person id'),
    role: z.string().min(1).max(64),
    unit: z.string().min(1).max(64).describe("unit key, or '*' for a university-wide role"),
  })
  .strict();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const TAGS = ['permissions'];

export function permissionRoutes(uc: {
  permissions: PermissionsUseCase;
  offboardPerson: OffboardPersonUseCase;
  certificationExpiry: CertificationExpiryUseCase;
  changePost: ChangePostUseCase;
}): RouteSpec[] {
  const { permissions, offboardPerson: offboard, certificationExpiry, changePost } = uc;
  return [
    route({
      method: 'get',
      path: '/api/v1/role-assignments',
      operationId: 'listRoleAssignments',
      summary: 'Who holds which role where (IT Office)',
      tags: TAGS,
      auth: true,
      query: z
        .object({
          subject: z.string().max(64).optional(),
          unit: z.string().max(64).optional(),
          role: z.string().max(64).optional(),
        })
        .strict(),
      responses: { 200: { description: 'assignments', schema: RoleAssignmentList }, 403: itOffice },
      handle: async ({ query, ctx }) => reply(await permissions.list({ actor: actorOf(ctx), ...query })),
    }),
    route({
      method: 'post',
      path: '/api/v1/role-assignments',
      operationId: 'grantRole',
      summary:
        "Grant a role directly (IT Office), with no unit's filing behind it (the audit entry says so; filings: /role-filings): active staff only; admin roles need a current certification",
      tags: TAGS,
      auth: true,
      body: assignment,
      responses: {
        201: { description: 'granted', schema: RoleAssignment },
        400: { description: 'refused: `errors` gives every reason' },
        403: itOffice,
        404: { description: 'PERSON.NOT_FOUND: no such person' },
        409: { description: 'ROLE.ALREADY_HELD' },
      },
      handle: async ({ body, ctx }) => reply(await permissions.grant({ actor: actorOf(ctx), ...body }), 201),
    }),
    route({
      method: 'post',
      path: '/api/v1/role-assignments/revocations',
      operationId: 'revokeRole',
      summary: 'Revoke a role (IT Office); every instance applies it within seconds',
      tags: TAGS,
      auth: true,
      body: assignment,
      responses: {
        200: { description: 'revoked', schema: RoleAssignment },
        403: itOffice,
        404: { description: 'ROLE.NOT_HELD: not held' },
      },
      handle: async ({ body, ctx }) => reply(await permissions.revoke({ actor: actorOf(ctx), ...body })),
    }),
    route({
      method: 'post',
      path: '/api/v1/people/{personId}/offboarding',
      operationId: 'offboardPerson',
      summary:
        'A person leaves, retires or is suspended: roles revoked, sessions ended, pending work handed over (交接) in one step',
      tags: TAGS,
      auth: true,
      params: z.object({ personId: z.string().min(1).max(64) }),
      body: z
        .object({
          status: z.enum(['left', 'retired', 'suspended']),
          successor: z
            .string()
            .min(1)
            .max(64)
            .optional()
            .describe('staff id of who takes over; otherwise tasks go back to their pools'),
        })
        .strict(),
      responses: {
        200: { description: 'the hand-over report', schema: HandoverReport },
        403: itOffice,
        404: { description: 'PERSON.NOT_FOUND: no such person' },
        409: { description: 'an application being handed over changed meanwhile' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await offboard.execute({ actor: actorOf(ctx), personId: params.personId, ...body })),
    }),
    route({
      method: 'post',
      path: '/api/v1/people/{personId}/post-change',
      operationId: 'changePost',
      summary:
        "A person's unit changes (异动/调离): their roles in the old unit revoked, its work they held handed over (交接), their sessions ended, both units' service admins told, in one step",
      tags: TAGS,
      auth: true,
      params: z.object({ personId: z.string().min(1).max(64) }),
      body: z
        .object({
          unit: z.string().min(1).max(64).describe('key of the new unit'),
          successor: z
            .string()
            .min(1)
            .max(64)
            .optional()
            .describe('staff id of who takes over, working in the old unit; otherwise tasks go back to their pools'),
          reason: z.string().trim().min(1).max(500),
        })
        .strict(),
      responses: {
        200: {
          description: 'the report of what moved (nothing, when the person is already in the unit)',
          schema: PostChangeReport,
        },
        400: { description: 'PERSON.BAD_SUCCESSOR: `errors` names the successor' },
        403: itOffice,
        404: { description: 'PERSON.NOT_FOUND or UNIT.NOT_FOUND' },
        409: { description: 'an application being handed over changed meanwhile' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await changePost.execute({ actor: actorOf(ctx), personId: params.personId, ...body })),
    }),
    route({
      method: 'post',
      path: '/api/v1/people/{personId}/certifications',
      operationId: 'recordCertification',
      summary: 'Record a passed training course (Art. 17)',
      tags: TAGS,
      auth: true,
      params: z.object({ personId: z.string().min(1).max(64) }),
      body: z.object({ course: z.string().trim().min(1).max(200), passedOn: date, expiresOn: date }).strict(),
      responses: {
        201: { description: 'recorded', schema: Certification },
        403: itOffice,
        404: { description: 'PERSON.NOT_FOUND: no such person' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await permissions.recordCertification({ actor: actorOf(ctx), personId: params.personId, ...body }), 201),
    }),
    route({
      method: 'get',
      path: '/api/v1/certifications/expiring',
      operationId: 'listExpiringCertifications',
      summary:
        "Admin roles whose holder's training certifications run out within `days` days, or have (IT Office, Art. 17)",
      tags: TAGS,
      auth: true,
      query: z
        .object({ days: z.coerce.number().int().min(0).max(3660).default(30).describe('within how many days') })
        .strict(),
      responses: { 200: { description: 'soonest first', schema: ExpiringRoleList }, 403: itOffice },
      handle: async ({ query, ctx }) =>
        reply(await certificationExpiry.expiring({ actor: actorOf(ctx), days: query.days })),
    }),
  ];
}
