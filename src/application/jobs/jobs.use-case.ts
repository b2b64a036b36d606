import { InputError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { NotAllowedError } from '../../domain/shared/errors.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { JobAdmin, QueueFigures } from '../ports/job-admin.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';

const QUEUE_NAMES = ['task-reminder', 'notification-email', 'connector-call'];

/**
 * The IT Office's view of the durable jobs (reminder timers, e-mails, business-system calls): how many wait, run, failed,
 * and the oldest one due and not yet taken — a backlog means no worker is running. Failed jobs
 * (e.g. the SMTP server refused for longer than the retries last) can be sent round again, audited.
 */
export class JobsUseCase {
  constructor(private readonly deps: { jobAdmin: JobAdmin; enforcer: PolicyEnforcer; clock: Clock; uow: UnitOfWork }) {}

  async status(actor: Actor): Promise<Result<QueueFigures[], NotAllowedError>> {
    const allowed = await authorize(this.deps.enforcer, actor, { unit: ALL_UNITS, object: 'jobs', action: 'manage' });
    if (!allowed.ok) return allowed;
    return ok(await this.deps.jobAdmin.figures(this.deps.clock.now()));
  }

  async retryFailed(
    actor: Actor,
    queue: string | null,
  ): Promise<Result<{ retried: number }, NotAllowedError | InputError>> {
    const allowed = await authorize(this.deps.enforcer, actor, { unit: ALL_UNITS, object: 'jobs', action: 'manage' });
    if (!allowed.ok) return allowed;
    if (queue !== null && !QUEUE_NAMES.includes(queue)) {
      return err(
        new InputError('JOBS.UNKNOWN_QUEUE', `no queue '${queue}'`, [
          { path: '/queue', message: `must be one of ${QUEUE_NAMES.join(', ')}` },
        ]),
      );
    }
    const retried = await this.deps.jobAdmin.retryFailed(queue);
    const at = this.deps.clock.now();
    await this.deps.uow.run((scope) =>
      recordChange(scope, {
        actor,
        action: 'jobs.failed-retried',
        entityType: 'job-queue',
        entityId: queue ?? '*',
        unit: null,
        before: null,
        after: { retried },
        at,
      }),
    );
    return ok({ retried });
  }
}
