import type { Clock } from '../ports/clock.port.js';
import type { NotificationKind } from '../ports/notifier.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { notifyOnce } from './notify-once.js';
import { reminderText, type ReminderKind } from './reminder-text.js';
import { actOnTimeLimit, type TimeLimitDeps } from './time-limit-action.js';

export type { ReminderKind };

/** A timer job as the worker receives it. */
export interface ReminderJob {
  queue: string;
  id: string;
  taskId: string;
  kind: ReminderKind;
  dueAt: string;
}

const KIND: Record<ReminderKind, NotificationKind> = {
  'before-due': 'reminder.before-due',
  due: 'reminder.due',
  overdue: 'reminder.overdue-escalation',
};

/**
 * A task's timer fires (Art. 4(3)3: departments finish on time, their admins see who does not):
 * before and at the due time the task's holder is reminded; after it the owning unit's service
 * admins are told. The task is read as it is now — a task no longer open, or with another due time,
 * is left alone. The notifications, their audit entry and the end of the job commit together, so a
 * worker that dies half-way leaves the job to be taken again and nobody is told twice.
 * At the due time, a node with an `onTimeout` action has it done instead, on the application
 * locked (a handler acting at the same moment either goes first, and the task is left alone, or
 * after, and finds it handled); a task escalated to the service admins reminds them at once.
 */
export class TaskRemindersUseCase {
  constructor(
    private readonly deps: TimeLimitDeps & {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      clock: Clock;
      publicUrl: string;
    },
  ) {}

  async fire(job: ReminderJob): Promise<'sent' | 'stale' | 'acted'> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      let outcome: 'sent' | 'stale' | 'acted' = 'stale';
      // the due time may act on the application: it is locked, and read as the last change left it
      const a = await scope.applications.findByTaskId(job.taskId, { forUpdate: job.kind === 'due' });
      const p = a?.current;
      const task = p?.tasks.find((t) => t.id === job.taskId);
      const onTime = (t: NonNullable<typeof task>) =>
        t.status === 'open' && !!t.dueAt && Date.parse(t.dueAt) === Date.parse(job.dueAt);
      if (a && task && job.kind === 'due' && onTime(task)) {
        // the job runs once the due time passed on the database's clock: a hall clock a little behind does not undo that
        const passed = new Date(Math.max(at.getTime(), Date.parse(job.dueAt)));
        const acted = await actOnTimeLimit(this.deps, scope, a, { taskId: task.id, at: passed, jobId: job.id });
        if (acted && acted !== 'remind') outcome = 'acted';
      }
      // still open after the action: escalated, and its new holders are told now
      if (a && p && task && onTime(task)) {
        const recipients =
          job.kind === 'overdue'
            ? await this.deps.enforcer.holders({ role: 'unit-service-admin', unit: a.owningUnit })
            : task.assignee
              ? [task.assignee]
              : task.candidate
                ? await this.deps.enforcer.holders(task.candidate)
                : [];
        const item = await scope.serviceItems.findById(p.itemId);
        const text = reminderText(job.kind, {
          service: item?.name ?? '',
          caseNumber: p.caseNumber ?? p.id,
          node: a.process.nodes.find((n) => n.key === task.nodeKey)?.name ?? task.nodeKey,
          holder: task.assignee ?? (task.candidate ? `${task.candidate.role}@${task.candidate.unit}` : ''),
          dueAt: new Date(job.dueAt),
          link: `${this.deps.publicUrl}/api/v1/applications/${a.id}`,
        });
        await notifyOnce(scope, {
          recipients,
          kind: KIND[job.kind],
          text,
          applicationId: a.id,
          taskId: task.id,
          at,
          cause: `${task.id}:${new Date(job.dueAt).toISOString()}`,
          audit: {
            action: job.kind === 'overdue' ? 'task.overdue-escalated' : 'task.reminded',
            entityType: 'task',
            entityId: task.id,
            unit: a.owningUnit,
            jobId: job.id,
            after: { kind: job.kind, dueAt: job.dueAt },
            event: { applicationId: a.id, caseNumber: p.caseNumber, kind: job.kind },
          },
        });
        if (outcome === 'stale') outcome = 'sent';
      }
      await scope.jobs.complete({ queue: job.queue, id: job.id });
      return outcome;
    });
  }
}
