import { z } from 'zod';
import type { ActOnTaskUseCase, TaskAction } from '../../../../application/applications/act-on-task.use-case.js';
import type { EndApplicationUseCase } from '../../../../application/applications/end-application.use-case.js';
import type { GetApplicationUseCase } from '../../../../application/applications/get-application.use-case.js';
import type { ApplicationRoadUseCase } from '../../../../application/applications/road.use-case.js';
import type { NoteApplicationUseCase } from '../../../../application/applications/note-application.use-case.js';
import type { AbsenceUseCase } from '../../../../application/people/absence.use-case.js';
import type { InboxUseCase } from '../../../../application/applications/inbox.use-case.js';
import type { ListMyApplicationsUseCase } from '../../../../application/applications/list-my-applications.use-case.js';
import type { StartApplicationUseCase } from '../../../../application/applications/start-application.use-case.js';
import type { SubmitApplicationUseCase } from '../../../../application/applications/submit-application.use-case.js';
import { pageQuery, route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import {
  Absence,
  AbsenceCleared,
  ApplicationProgress,
  ApplicationSummaryPage,
  ApplicationView,
  HistoryPage,
  InboxPage,
  TodoCount,
} from '../schemas/application.schemas.js';
import { ApplicationDiagram, ApplicationRoad } from '../schemas/road.schemas.js';

const appParams = z.object({ applicationId: uuidParam });
const taskParams = z.object({ taskId: uuidParam });
const form = z.record(z.string(), z.unknown()).describe("form data, validated against the version's JSON Schema");
const text = (max: number) => z.string().trim().min(1).max(max);
const personId = z.string().min(1).max(64);
const TAGS = ['applications'];
const TASKS = ['tasks'];

export interface ApplicationUseCases {
  startApplication: StartApplicationUseCase;
  submitApplication: SubmitApplicationUseCase;
  getApplication: GetApplicationUseCase;
  applicationRoad: ApplicationRoadUseCase;
  listMyApplications: ListMyApplicationsUseCase;
  endApplication: EndApplicationUseCase;
  actOnTask: ActOnTaskUseCase;
  inbox: InboxUseCase;
  noteApplication: NoteApplicationUseCase;
  absence: AbsenceUseCase;
}

export function applicationRoutes(uc: ApplicationUseCases): RouteSpec[] {
  const {
    startApplication: start,
    submitApplication: submit,
    getApplication: get,
    applicationRoad: road,
    listMyApplications: mine,
    endApplication: end,
    actOnTask: act,
    inbox,
    noteApplication: note,
    absence,
  } = uc;

  const taskRoute = (name: TaskAction['action'], summary: string, body?: z.ZodType) =>
    route({
      method: 'post',
      path: `/api/v1/tasks/{taskId}/${name}`,
      operationId: `${name.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())}Task`,
      summary,
      tags: TASKS,
      auth: true,
      params: taskParams,
      ...(body ? { body } : {}),
      responses: {
        200: { description: 'the application after the action', schema: ApplicationView },
        403: { description: 'not your task, or not offered to you' },
        404: { description: 'TASK.NOT_FOUND: no such task' },
        409: { description: 'the task was already handled, or the action does not fit its state' },
      },
      handle: async ({ params, body: b, ctx }) =>
        reply(
          await act.execute({
            actor: actorOf(ctx),
            taskId: params.taskId,
            action: name,
            ...(b as object),
          } as Parameters<ActOnTaskUseCase['execute']>[0]),
        ),
    });

  return [
    route({
      method: 'post',
      path: '/api/v1/applications',
      operationId: 'startApplication',
      summary: 'Apply to an online service item (submit at once, or save a draft)',
      tags: TAGS,
      auth: true,
      idempotent: 'startApplication',
      body: z.object({ itemId: uuidParam, form, submit: z.boolean().default(true) }).strict(),
      responses: {
        201: { description: 'the application', schema: ApplicationView },
        401: { description: 'AUTH.ACCOUNT_DISABLED: the account is no longer active' },
        404: { description: 'SERVICE_ITEM.NOT_FOUND: no such item' },
        409: { description: 'SERVICE_ITEM.NOT_ONLINE: the item accepts no applications' },
      },
      handle: async ({ body, ctx }) => reply(await start.execute({ actor: actorOf(ctx), ...body }), 201),
    }),
    route({
      method: 'get',
      path: '/api/v1/applications',
      operationId: 'listMyApplications',
      summary:
        'My applications, newest first: a summary of each (its progress is GET /api/v1/applications/{applicationId}); nextCursor pages on',
      tags: TAGS,
      auth: true,
      query: z.object(pageQuery).strict(),
      responses: {
        200: { description: 'a page of summaries of my applications, newest first', schema: ApplicationSummaryPage },
      },
      handle: async ({ query, ctx }) => reply(await mine.execute({ actor: actorOf(ctx), ...query })),
    }),
    route({
      method: 'get',
      path: '/api/v1/applications/{applicationId}',
      operationId: 'getApplication',
      summary:
        'Progress of an application: current steps, and its history oldest first (the first 100 entries; historyNextCursor pages on)',
      tags: TAGS,
      auth: true,
      params: appParams,
      responses: {
        200: { description: 'the application', schema: ApplicationProgress },
        403: { description: 'AUTH.FORBIDDEN: you may not see it' },
        404: { description: 'no such application' },
      },
      handle: async ({ params, ctx }) =>
        reply(await get.execute({ actor: actorOf(ctx), applicationId: params.applicationId })),
    }),
    route({
      method: 'get',
      path: '/api/v1/applications/{applicationId}/history',
      operationId: 'applicationHistory',
      summary: 'The history of an application, oldest first, a page at a time',
      tags: TAGS,
      auth: true,
      params: appParams,
      query: z.object(pageQuery).strict(),
      responses: {
        200: { description: 'a page of history entries', schema: HistoryPage },
        403: { description: 'AUTH.FORBIDDEN: you may not see it' },
        404: { description: 'no such application' },
      },
      handle: async ({ params, query, ctx }) =>
        reply(await get.history({ actor: actorOf(ctx), applicationId: params.applicationId, ...query })),
    }),
    route({
      method: 'get',
      path: '/api/v1/applications/{applicationId}/road',
      operationId: 'applicationRoad',
      summary:
        'The road of an application: the steps it passed (who acted, how, when; steps passed by, with the reason), where it waits, and the steps still to come with the handlers each would go to',
      tags: TAGS,
      auth: true,
      params: appParams,
      responses: {
        200: { description: 'the path taken and the road ahead', schema: ApplicationRoad },
        403: { description: 'AUTH.FORBIDDEN: you may not see it' },
        404: { description: 'no such application' },
      },
      handle: async ({ params, ctx }) =>
        reply(await road.road({ actor: actorOf(ctx), applicationId: params.applicationId })),
    }),
    route({
      method: 'get',
      path: '/api/v1/applications/{applicationId}/diagram',
      operationId: 'applicationDiagram',
      summary:
        "The diagram of an application's process: every node placed (x, y, width, height) with where the application stands with it, every flow with its waypoints, taken or ahead",
      tags: TAGS,
      auth: true,
      params: appParams,
      responses: {
        200: { description: 'the diagram model', schema: ApplicationDiagram },
        403: { description: 'AUTH.FORBIDDEN: you may not see it' },
        404: { description: 'no such application' },
      },
      handle: async ({ params, ctx }) =>
        reply(await road.diagram({ actor: actorOf(ctx), applicationId: params.applicationId })),
    }),
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/submission',
      operationId: 'submitApplication',
      summary: 'Submit a draft, or resubmit a returned application',
      tags: TAGS,
      auth: true,
      idempotent: 'submitApplication',
      params: appParams,
      body: z.object({ form: form.optional() }).strict().default({}),
      responses: {
        200: { description: 'submitted', schema: ApplicationView },
        403: { description: 'APPLICATION.NOT_APPLICANT' },
        404: { description: 'no such application' },
        409: { description: 'not a draft nor returned' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await submit.execute({ actor: actorOf(ctx), applicationId: params.applicationId, form: body.form })),
    }),
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/withdrawal',
      operationId: 'withdrawApplication',
      summary: 'Withdraw (撤回) while no handler has acted on the current step',
      tags: TAGS,
      auth: true,
      params: appParams,
      responses: {
        200: { description: 'withdrawn', schema: ApplicationView },
        403: { description: 'APPLICATION.NOT_APPLICANT' },
        404: { description: 'no such application' },
        409: { description: 'a handler already acted, or not in progress' },
      },
      handle: async ({ params, ctx }) =>
        reply(await end.execute({ actor: actorOf(ctx), applicationId: params.applicationId, how: 'withdraw' })),
    }),
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/cancellation',
      operationId: 'cancelApplication',
      summary: 'Cancel (撤销) before completion, with a reason',
      tags: TAGS,
      auth: true,
      params: appParams,
      body: z.object({ reason: text(1000) }).strict(),
      responses: {
        200: { description: 'cancelled', schema: ApplicationView },
        403: { description: 'APPLICATION.NOT_APPLICANT' },
        404: { description: 'no such application' },
        409: { description: 'a draft, or already ended' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await end.execute({
            actor: actorOf(ctx),
            applicationId: params.applicationId,
            how: 'cancel',
            reason: body.reason,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/comments',
      operationId: 'commentApplication',
      summary:
        'Comment, by the applicant or a handler of the application; handlers may keep a note private (never shown to the applicant)',
      tags: TAGS,
      auth: true,
      params: appParams,
      body: z.object({ text: text(2000), private: z.boolean().default(false) }).strict(),
      responses: {
        200: { description: 'the application', schema: ApplicationView },
        403: {
          description:
            'AUTH.FORBIDDEN: you may not see it; APPLICATION.COMMENT_NOT_ALLOWED: you only read it (auditor, IT Office, service admin, copied to)',
        },
        404: { description: 'no such application' },
        409: { description: 'the application changed meanwhile' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await note.execute({
            actor: actorOf(ctx),
            applicationId: params.applicationId,
            note: 'comment',
            text: body.text,
            private: body.private,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/urge',
      operationId: 'urgeApplication',
      summary: 'Urge (催办) the holders of the current step; at most once per 30 minutes per person',
      tags: TAGS,
      auth: true,
      params: appParams,
      responses: {
        200: { description: 'urged', schema: ApplicationView },
        403: { description: "neither the applicant nor the owning unit's service admin" },
        404: { description: 'no such application' },
        409: { description: 'urged too recently, or not in progress' },
      },
      handle: async ({ params, ctx }) =>
        reply(await note.execute({ actor: actorOf(ctx), applicationId: params.applicationId, note: 'urge' })),
    }),
    route({
      method: 'get',
      path: '/api/v1/me/tasks',
      operationId: 'inbox',
      summary: 'My task inbox (待办): assigned to me, or claimable by a role I hold',
      tags: TASKS,
      auth: true,
      query: z.object(pageQuery).strict(),
      responses: { 200: { description: 'a page of open tasks, oldest first', schema: InboxPage } },
      handle: async ({ query, ctx }) => reply(await inbox.list({ actor: actorOf(ctx), ...query })),
    }),
    route({
      method: 'put',
      path: '/api/v1/me/absence',
      operationId: 'setAbsence',
      summary: 'Away (e.g. on holiday): a substitute receives my new tasks between two dates',
      tags: TASKS,
      auth: true,
      body: z
        .object({
          substitute: personId,
          from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        })
        .strict(),
      responses: { 200: { description: 'the absence', schema: Absence } },
      handle: async ({ body, ctx }) => reply(await absence.set({ actor: actorOf(ctx), ...body })),
    }),
    route({
      method: 'delete',
      path: '/api/v1/me/absence',
      operationId: 'clearAbsence',
      summary: 'Back early: new tasks are mine again',
      tags: TASKS,
      auth: true,
      responses: {
        200: { description: 'cleared', schema: AbsenceCleared },
        404: { description: 'ABSENCE.NOT_SET: no absence was set' },
      },
      handle: async ({ ctx }) => reply(await absence.clear({ actor: actorOf(ctx) })),
    }),
    route({
      method: 'get',
      path: '/api/v1/me/todo-count',
      operationId: 'todoCount',
      summary: 'To-do badge counts for the portal',
      tags: TASKS,
      auth: true,
      responses: { 200: { description: 'counts', schema: TodoCount } },
      handle: async ({ ctx }) => reply(await inbox.count({ actor: actorOf(ctx) })),
    }),
    taskRoute('claim', 'Claim a task offered to my role pool'),
    taskRoute('unclaim', 'Give a claimed task back to its pool'),
    taskRoute(
      'approve',
      'Approve (通过), optionally editing the fields this step may edit',
      z
        .object({ comment: z.string().max(2000).optional(), form: form.optional() })
        .strict()
        .default({}),
    ),
    taskRoute('reject', 'Reject (驳回): ends the application with a reason', z.object({ reason: text(2000) }).strict()),
    taskRoute(
      'return',
      'Return (退回) to the applicant or to a node the application has passed',
      z
        .object({ target: z.string().min(1).max(40).describe("'applicant' or a node key"), comment: text(2000) })
        .strict(),
    ),
    taskRoute(
      'transfer',
      'Transfer (转办) my task to another person',
      z.object({ to: personId, comment: z.string().max(2000).optional() }).strict(),
    ),
    taskRoute(
      'delegate',
      'Delegate (委派): someone works on it and hands it back to me',
      z.object({ to: personId, comment: z.string().max(2000).optional() }).strict(),
    ),
    taskRoute(
      'resolve',
      'Hand a delegated task back to the person who delegated it',
      z
        .object({ comment: z.string().max(2000).optional() })
        .strict()
        .default({}),
    ),
    taskRoute(
      'add-signer',
      'Add a signer (加签) before me (an opinion first) or after me (a countersigner)',
      z
        .object({ person: personId, position: z.enum(['before', 'after']), comment: z.string().max(2000).optional() })
        .strict(),
    ),
    taskRoute(
      'remove-signer',
      'Remove a pending signer (减签) that was added to this step',
      z.object({ signerTaskId: uuidParam }).strict(),
    ),
    taskRoute(
      'copy',
      'Copy to (抄送): named people may read the application',
      z.object({ people: z.array(personId).min(1).max(50) }).strict(),
    ),
    taskRoute(
      'take-back',
      'Take back (拿回) the application to the step I approved with this task, while no later step has acted',
    ),
  ];
}
