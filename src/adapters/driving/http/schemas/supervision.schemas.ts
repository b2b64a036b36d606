import { z } from 'zod';
import { component, entityId, instant } from './component.js';

const holder = {
  personId: z.string().nullable().describe('the assignee; null for an unclaimed pool task'),
  name: z.string().nullable(),
  pool: z
    .object({ role: z.string(), unit: z.string() })
    .nullable()
    .describe('the role pool an unclaimed task is offered to'),
};
const item = z.object({ id: entityId, code: z.string(), name: z.string() });
const overdueTask = z
  .object({
    taskId: entityId,
    applicationId: entityId,
    caseNumber: z.string().nullable(),
    serviceItem: item,
    nodeKey: z.string(),
    holder: z.object(holder),
    dueAt: instant,
    overdueHours: z.number().int(),
  })
  .nullable();
const followUps = z.object({
  open: z.number().int(),
  overdue: z.number().int(),
  oldestOverdue: z
    .object({
      followUpId: entityId,
      applicationId: entityId,
      caseNumber: z.string().nullable(),
      serviceItem: item,
      level: z.number().int(),
      dueAt: instant,
      overdueHours: z.number().int(),
    })
    .nullable(),
});
const summary = {
  unit: z.object({ key: z.string(), code: z.string(), name: z.string() }),
  openTasks: z.number().int().describe("open tasks of the unit's applications ('waiting' ones do not count)"),
  overdueTasks: z.number().int().describe('open tasks past their due date'),
  oldestOverdue: overdueTask,
  followUps: followUps.describe('整改 follow-ups of bad ratings'),
};
const byHandler = z
  .array(z.object({ ...holder, open: z.number().int(), overdue: z.number().int(), oldestDueAt: instant.nullable() }))
  .describe('per assignee, and per pool for unclaimed tasks; most overdue first, then most open');

/** 督办: a unit's open and overdue tasks and follow-ups. */
export const UnitSummary = component('UnitSummary', z.object(summary));
export const SupervisionOverview = component(
  'SupervisionOverview',
  z.object({ asOf: instant, units: z.array(UnitSummary) }),
);
export const UnitSupervision = component('UnitSupervision', z.object({ asOf: instant, ...summary, byHandler }));
