import { z } from 'zod';
import { DONE_OUTCOMES } from '../../../../application/ports/handler-lists.port.js';
import { ApplicationState } from './application.schemas.js';
import { component, entityId, instant, page, personId } from './component.js';

const serviceItem = z.object({ id: entityId, code: z.string(), name: z.string() });

export const DoneOutcome = component(
  'DoneOutcome',
  z
    .enum(DONE_OUTCOMES)
    .describe("my last action on the task; a signer's opinion (加签征询) counts as the outcome it gave"),
);

/** A task I acted on (已办): my last action on it, and where its application stands now. */
export const DoneTask = component(
  'DoneTask',
  z.object({
    taskId: entityId,
    node: z.object({ key: z.string(), name: z.string().nullable() }),
    outcome: DoneOutcome,
    actedAt: instant,
    applicationId: entityId,
    caseNumber: z.string().nullable(),
    serviceItem,
    state: ApplicationState.describe("the application's state now"),
  }),
);
export const DoneTaskPage = page('DoneTaskPage', DoneTask);

/** An application copied to me (抄送我的). */
export const CopiedApplication = component(
  'CopiedApplication',
  z.object({
    applicationId: entityId,
    caseNumber: z.string().nullable(),
    serviceItem,
    state: ApplicationState,
    applicantId: personId,
    copiedAt: instant,
    copiedBy: personId,
  }),
);
export const CopiedApplicationPage = page('CopiedApplicationPage', CopiedApplication);

export const TaskCounts = component(
  'TaskCounts',
  z.object({
    todo: z.object({
      assigned: z.number().int(),
      claimable: z.number().int(),
      total: z.number().int(),
      overdue: z.number().int().describe('of the total, open past their due time'),
    }),
    done: z.number().int().describe('tasks I acted on, as GET /api/v1/me/done-tasks lists them'),
    copied: z.number().int().describe('applications copied to me'),
  }),
);

/** What happened to each task of a batch, in the order given. */
export const BatchTaskResults = component(
  'BatchTaskResults',
  z.object({
    results: z.array(
      z.discriminatedUnion('ok', [
        z.object({ taskId: entityId, ok: z.literal(true), applicationId: entityId, state: ApplicationState }),
        z.object({
          taskId: entityId,
          ok: z.literal(false),
          problem: z
            .object({ status: z.number().int(), code: z.string(), detail: z.string() })
            .describe(
              'what the single action would have answered: 403 not yours, 404 no such task, 409 already handled…',
            ),
        }),
      ]),
    ),
  }),
);
