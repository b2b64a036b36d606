import type { Clock } from '../ports/clock.port.js';
import type { NotificationKind } from '../ports/notifier.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { notifyOnce } from './notify-once.js';
import { followUpText, type ReminderKind } from './reminder-text.js';

/** A follow-up's timer as the worker receives it. */
export interface FollowUpReminderJob {
  queue: string;
  id: string;
  followUpId: string;
  kind: ReminderKind;
  dueAt: string;
}

const KIND: Record<ReminderKind, NotificationKind> = {
  'before-due': 'follow-up.before-due',
  due: 'follow-up.due',
  overdue: 'follow-up.overdue-escalation',
};

/**
 * Follow-ups of bad ratings (整改) are tracked like tasks: the owning unit's service admins are
 * reminded before and at the due date, and the President's Office is told when it passes. A
 * follow-up resolved or withdrawn meanwhile is left alone; one notification per cause, committed
 * with the end of the job.
 */
export class FollowUpRemindersUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; enforcer: PolicyEnforcer; clock: Clock; publicUrl: string }) {}

  async fire(job: FollowUpReminderJob): Promise<'sent' | 'stale'> {
    const at = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      let outcome: 'sent' | 'stale' = 'stale';
      const f = (await scope.followUps.findById(job.followUpId))?.snapshot();
      if (f && f.status === 'open' && f.dueAt.getTime() === Date.parse(job.dueAt)) {
        const recipients =
          job.kind === 'overdue'
            ? await this.deps.enforcer.holders({ role: 'president-office', unit: '*' })
            : await this.deps.enforcer.holders({ role: 'unit-service-admin', unit: f.owningUnit });
        // one statement at a time: the transaction has one connection
        const item = await scope.serviceItems.findById(f.itemId);
        const application = await scope.applications.findById(f.applicationId);
        const unit = (await scope.organisation.units()).find((u) => u.key === f.owningUnit);
        const text = followUpText(job.kind, {
          service: item?.name ?? '',
          caseNumber: application?.current.caseNumber ?? f.applicationId,
          unit: unit?.name ?? f.owningUnit,
          level: f.level,
          dueAt: f.dueAt,
          link: `${this.deps.publicUrl}/api/v1/follow-ups`,
        });
        await notifyOnce(scope, {
          recipients,
          kind: KIND[job.kind],
          text,
          applicationId: f.applicationId,
          taskId: null,
          at,
          cause: `${f.id}:${f.dueAt.toISOString()}`,
          audit: {
            action: job.kind === 'overdue' ? 'follow-up.overdue-escalated' : 'follow-up.reminded',
            entityType: 'follow-up',
            entityId: f.id,
            unit: f.owningUnit,
            jobId: job.id,
            after: { kind: job.kind, dueAt: job.dueAt },
            event: { applicationId: f.applicationId, kind: job.kind },
          },
        });
        outcome = 'sent';
      }
      await scope.jobs.complete({ queue: job.queue, id: job.id });
      return outcome;
    });
  }
}
