import { z } from 'zod';
import type { SupervisionUseCase } from '../../../../application/supervision/supervision.use-case.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';

const holder = {
  personId: z.string().nullable().describe('the assignee; null for an unclaimed pool task'),
  name: z.string().nullable(),
  pool: z.object({ role: z.string(), unit: z.string() }).nullable().describe('the role pool an unclaimed task is offered to'),
};
const item = z.object({ id: z.string(), code: z.string(), name: z.string() });
const overdueTask = z.object({
  taskId: z.string(), applicationId: z.string(), caseNumber: z.string().nullable(), serviceItem: item, nodeKey: z.string(),
  holder: z.object(holder), dueAt: z.string(), overdueHours: z.number().int(),
}).nullable();
const followUps = z.object({
  open: z.number().int(), overdue: z.number().int(),
  oldestOverdue: z.object({
    followUpId: z.string(), applicationId: z.string(), caseNumber: z.string().nullable(), serviceItem: item, level: z.number().int(), dueAt: z.string(), overdueHours: z.number().int(),
  }).nullable(),
});
const summary = {
  unit: z.object({ key: z.string(), code: z.string(), name: z.string() }),
  openTasks: z.number().int().describe("open tasks of the unit's applications ('waiting' ones do not count)"),
  overdueTasks: z.number().int().describe('open tasks past their due date'),
  oldestOverdue: overdueTask,
  followUps: followUps.describe('整改 follow-ups of bad ratings'),
};
const byHandler = z.array(z.object({ ...holder, open: z.number().int(), overdue: z.number().int(), oldestDueAt: z.string().nullable() }))
  .describe('per assignee, and per pool for unclaimed tasks; most overdue first, then most open');

export function supervisionRoutes({ supervision }: { supervision: SupervisionUseCase }): RouteSpec[] {
  return [
    route({
      method: 'get', path: '/api/v1/supervision/units', operationId: 'superviseAllUnits',
      summary: '督办: open and overdue tasks and follow-ups of every unit, most overdue first (President\'s Office, IT Office)', tags: ['supervision'], auth: true,
      responses: { 200: { description: 'one summary per unit', schema: z.object({ asOf: z.string(), units: z.array(z.object(summary)) }) } },
      handle: async ({ ctx }) => reply(await supervision.all({ actor: actorOf(ctx) })),
    }),
    route({
      method: 'get', path: '/api/v1/supervision/units/{unit}', operationId: 'superviseUnit',
      summary: '督办: a unit\'s open and overdue tasks by handler, and its follow-ups (the unit\'s service admins, the offices)', tags: ['supervision'], auth: true,
      params: z.object({ unit: z.string().min(1).max(100) }),
      responses: {
        200: { description: 'the unit\'s figures', schema: z.object({ asOf: z.string(), ...summary, byHandler }) },
        404: { description: 'no such unit' },
      },
      handle: async ({ params, ctx }) => reply(await supervision.unit({ actor: actorOf(ctx), unitKey: params.unit })),
    }),
  ];
}
