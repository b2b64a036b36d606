import { z } from 'zod';
import type { ManageApplicationUseCase } from '../../../../application/applications/manage-application.use-case.js';
import {
  MAX_MOVED_APPLICATIONS,
  type RedirectApplicationUseCase,
} from '../../../../application/applications/redirect-application.use-case.js';
import type { SearchItemApplicationsUseCase } from '../../../../application/applications/search-item-applications.use-case.js';
import { APPLICATION_STATES } from '../../../../domain/application/application-state.js';
import { NODE_KEY_PATTERN } from '../../../../domain/process-definition/process-definition.js';
import { pageQuery, route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { ApplicationView } from '../schemas/application.schemas.js';
import { ItemApplicationPage } from '../schemas/admin-application.schemas.js';

/** Drafts are the applicant's own: never listed, so never a filter. */
const LISTED_STATES = APPLICATION_STATES.filter((s) => s !== 'draft') as [
  Exclude<(typeof APPLICATION_STATES)[number], 'draft'>,
  ...Array<Exclude<(typeof APPLICATION_STATES)[number], 'draft'>>,
];
/** An instant with its offset ('2026-11-30T08:00:00Z', '2026-11-30T16:00:00+08:00'). */
const instantInput = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .describe('ISO 8601 instant with an offset');
const reason = z.string().trim().min(1).max(500);
const personId = z.string().min(1).max(64);
const MANAGERS = "only the owning unit's service admins and the IT Office";

export interface AdminApplicationUseCases {
  searchItemApplications: SearchItemApplicationsUseCase;
  manageApplication: ManageApplicationUseCase;
  redirectApplication: RedirectApplicationUseCase;
}

/** 管理端: the owning unit's service admins and the IT Office search an item's applications, cancel one, reassign a task. */
export function adminApplicationRoutes(uc: AdminApplicationUseCases): RouteSpec[] {
  const { searchItemApplications: search, manageApplication: manage, redirectApplication: redirect } = uc;
  return [
    route({
      method: 'get',
      path: '/api/v1/service-items/{itemId}/applications',
      operationId: 'searchItemApplications',
      summary:
        "An item's submitted applications, newest submission first, filtered (owning unit's service admins, IT Office); no form data; nextCursor pages on with the same filters",
      tags: ['applications'],
      auth: true,
      params: z.object({ itemId: uuidParam }),
      query: z
        .object({
          caseNumber: z.string().trim().min(1).max(40).optional().describe('a case number, or its beginning'),
          applicant: personId.optional().describe("the applicant's person id"),
          state: z.enum(LISTED_STATES).optional(),
          node: z.string().regex(NODE_KEY_PATTERN).optional().describe('a node key the application is active at'),
          submittedFrom: instantInput.optional().describe('submitted at or after this instant'),
          submittedTo: instantInput.optional().describe('submitted before this instant'),
          ...pageQuery,
        })
        .strict(),
      responses: {
        200: { description: 'a page of applications, newest submission first', schema: ItemApplicationPage },
        400: { description: 'a bad filter, or a cursor not issued for these filters (PAGINATION.BAD_CURSOR)' },
        403: { description: MANAGERS },
        404: { description: 'SERVICE_ITEM.NOT_FOUND' },
      },
      handle: async ({ params, query, ctx }) =>
        reply(await search.execute({ actor: actorOf(ctx), itemId: params.itemId, ...query })),
    }),
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/admin-cancellation',
      operationId: 'adminCancelApplication',
      summary:
        "Cancel (撤销) an application in progress or returned, by the owning unit's service admin or the IT Office, with a reason; the applicant is told",
      tags: ['applications'],
      auth: true,
      params: z.object({ applicationId: uuidParam }),
      body: z.object({ reason: reason.describe('why; the applicant reads it') }).strict(),
      responses: {
        200: { description: 'cancelled (the answer carries no form)', schema: ApplicationView },
        403: { description: MANAGERS },
        404: { description: 'APPLICATION.NOT_FOUND' },
        409: { description: 'APPLICATION.NOT_CANCELLABLE: a draft, or already ended' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await manage.cancel({ actor: actorOf(ctx), applicationId: params.applicationId, reason: body.reason })),
    }),
    route({
      method: 'post',
      path: '/api/v1/tasks/{taskId}/reassignment',
      operationId: 'reassignTask',
      summary:
        "Reassign (改派) an open or waiting task to another active staff member, by the owning unit's service admin or the IT Office; the new holder is told",
      tags: ['tasks'],
      auth: true,
      params: z.object({ taskId: uuidParam }),
      body: z.object({ to: personId.describe('who takes the task: active staff, not the applicant'), reason }).strict(),
      responses: {
        200: { description: 'reassigned (the answer carries no form)', schema: ApplicationView },
        400: { description: 'TASK.INVALID_PERSON or TASK.APPLICANT_AS_HANDLER or TASK.SAME_PERSON, naming /to' },
        403: { description: MANAGERS },
        404: { description: 'TASK.NOT_FOUND' },
        409: { description: 'the task is no longer live, or the application is not in progress' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await manage.reassign({ actor: actorOf(ctx), taskId: params.taskId, ...body })),
    }),
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/jump',
      operationId: 'jumpApplication',
      summary:
        "Jump (跳转) an application in progress to any step of its process, with a reason, by the owning unit's service admin or the IT Office: every live task closes, the step opens",
      tags: ['applications'],
      auth: true,
      params: z.object({ applicationId: uuidParam }),
      body: z.object({ target: nodeKey.describe('the key of a step of its process'), reason }).strict(),
      responses: {
        200: { description: 'moved (the answer carries no form)', schema: ApplicationView },
        400: { description: 'APPLICATION.JUMP_TARGET_INVALID, naming /target' },
        403: { description: MANAGERS },
        404: { description: 'APPLICATION.NOT_FOUND' },
        409: { description: 'APPLICATION.NOT_IN_PROGRESS' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await redirect.jump({ actor: actorOf(ctx), applicationId: params.applicationId, ...body })),
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/application-moves',
      operationId: 'moveApplicationsToVersion',
      summary:
        "Move running applications of an item from one version to the one online now, by a node mapping (old key -> new key; unnamed keys stay): validated whole, all or nothing, by the owning unit's service admin or the IT Office",
      tags: ['applications'],
      auth: true,
      params: z.object({ itemId: uuidParam }),
      body: z
        .object({
          fromVersionId: uuidParam,
          toVersionId: uuidParam,
          applicationIds: z.array(uuidParam).min(1).max(MAX_MOVED_APPLICATIONS),
          mapping: z
            .record(nodeKey, nodeKey)
            .refine((m) => Object.keys(m).length <= 100, 'at most 100 entries')
            .default({}),
          reason,
        })
        .strict(),
      responses: {
        200: { description: 'every application moved', schema: MovedApplications },
        400: { description: 'APPLICATION_MOVE.INVALID or APPLICATION.MAPPING_INVALID, listing every problem' },
        403: { description: MANAGERS },
        404: { description: 'SERVICE_ITEM.NOT_FOUND' },
        409: {
          description:
            'APPLICATION_MOVE.TARGET_NOT_ONLINE: the target is not the online version; APPLICATION.NOT_MOVABLE: some have ended',
        },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await redirect.move({ actor: actorOf(ctx), itemId: params.itemId, ...body })),
    }),
  ];
}

const nodeKey = z.string().regex(NODE_KEY_PATTERN, 'a node key');
const MovedApplications = z
  .object({ moved: z.array(ApplicationView) })
  .describe('the applications, where they stand now');
