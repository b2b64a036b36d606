import { z } from 'zod';
import {
  BATCH_ACTIONS,
  BATCH_MAX_TASKS,
  type BatchTaskActionsUseCase,
} from '../../../../application/applications/batch-task-actions.use-case.js';
import type { HandlerListsUseCase } from '../../../../application/applications/handler-lists.use-case.js';
import { DONE_OUTCOMES } from '../../../../application/ports/handler-lists.port.js';
import { APPLICATION_STATES } from '../../../../domain/application/application-state.js';
import { problemFromDomainError } from '../problem.js';
import { pageQuery, route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, inQuery, reply } from './reply.js';
import { BatchTaskResults, CopiedApplicationPage, DoneTaskPage, TaskCounts } from '../schemas/handler-list.schemas.js';

const TASKS = ['tasks'];
/** Filters both lists take. */
const listFilters = {
  ...pageQuery,
  itemId: uuidParam.optional().describe('only this service item'),
  caseNumber: z.string().min(1).max(64).optional().describe('only the application with this case number (办件编号)'),
  from: z.iso.datetime({ offset: true }).optional().describe('at or after this instant'),
  to: z.iso.datetime({ offset: true }).optional().describe('before this instant'),
};

/** A list of task ids where each appears once: a repeated one is named by its index. */
const taskIds = z
  .array(uuidParam)
  .min(1)
  .max(BATCH_MAX_TASKS)
  .superRefine((ids, ctx) =>
    ids.forEach((id, i) => {
      const first = ids.indexOf(id);
      if (first !== i) ctx.addIssue({ code: 'custom', path: [i], message: `repeats the task at index ${first}` });
    }),
  );

export interface HandlerListUseCases {
  handlerLists: HandlerListsUseCase;
  batchTaskActions: BatchTaskActionsUseCase;
}

/** 已办, 抄送我的, the badge counts, and batch approval or claiming (批量审批/认领). */
export function handlerListRoutes(uc: HandlerListUseCases): RouteSpec[] {
  const { handlerLists: lists, batchTaskActions: batch } = uc;
  return [
    route({
      method: 'get',
      path: '/api/v1/me/done-tasks',
      operationId: 'doneTasks',
      summary: 'Tasks I acted on (已办), one line per task with my last action on it, newest first',
      tags: TASKS,
      auth: true,
      query: z
        .object({ ...listFilters, outcome: z.enum(DONE_OUTCOMES).optional().describe('only this outcome') })
        .strict(),
      responses: {
        200: { description: 'a page of the tasks I acted on, newest first', schema: DoneTaskPage },
      },
      handle: async ({ query, ctx }) => reply(inQuery(await lists.done({ actor: actorOf(ctx), ...query }))),
    }),
    route({
      method: 'get',
      path: '/api/v1/me/copied',
      operationId: 'copiedToMe',
      summary: 'Applications copied to me (抄送我的), newest copy first',
      tags: TASKS,
      auth: true,
      query: z
        .object({
          ...listFilters,
          state: z.enum(APPLICATION_STATES).optional().describe('only applications in this state now'),
        })
        .strict(),
      responses: {
        200: {
          description: 'a page of the applications copied to me, newest copy first',
          schema: CopiedApplicationPage,
        },
      },
      handle: async ({ query, ctx }) => reply(inQuery(await lists.copied({ actor: actorOf(ctx), ...query }))),
    }),
    route({
      method: 'get',
      path: '/api/v1/me/task-counts',
      operationId: 'taskCounts',
      summary: 'Badge counts for the portal: to do (and overdue among them), done, copied to me',
      tags: TASKS,
      auth: true,
      responses: { 200: { description: 'counts', schema: TaskCounts } },
      handle: async ({ ctx }) => reply(await lists.counts({ actor: actorOf(ctx) })),
    }),
    route({
      method: 'post',
      path: '/api/v1/tasks/batch',
      operationId: 'batchTaskAction',
      summary:
        'Approve or claim several tasks (批量审批/认领): each in its own transaction, as the single action would; one refused does not stop the others',
      tags: TASKS,
      auth: true,
      idempotent: 'batchTaskAction',
      body: z
        .object({
          action: z.enum(BATCH_ACTIONS),
          taskIds,
          comment: z.string().max(2000).optional().describe('the approval comment, for each task (approve only)'),
        })
        .strict()
        .superRefine((b, ctx) => {
          if (b.action !== 'approve' && b.comment !== undefined)
            ctx.addIssue({ code: 'custom', path: ['comment'], message: 'only an approval takes a comment' });
        }),
      responses: {
        200: {
          description: 'per task, in the order given: the application after the action, or the problem it met',
          schema: BatchTaskResults,
        },
      },
      handle: async ({ body, ctx }) => {
        const r = await batch.execute({ actor: actorOf(ctx), ...body });
        if (!r.ok) return reply(r);
        return reply({
          ok: true as const,
          value: {
            results: r.value.results.map((x) => {
              if (x.ok) return x;
              const p = problemFromDomainError(x.error);
              return {
                taskId: x.taskId,
                ok: false as const,
                problem: { status: p.status, code: p.code, detail: p.detail ?? '' },
              };
            }),
          },
        });
      },
    }),
  ];
}
