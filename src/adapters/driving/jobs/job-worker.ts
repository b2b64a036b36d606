import type { Container } from 'inversify';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { EmailDeliveryUseCase } from '../../../application/reminders/email-delivery.use-case.js';
import type { ReminderKind, TaskRemindersUseCase } from '../../../application/reminders/task-reminders.use-case.js';
import type { FollowUpRemindersUseCase } from '../../../application/reminders/follow-up-reminders.use-case.js';
import type { CallBusinessSystemUseCase } from '../../../application/applications/call-business-system/call-business-system.use-case.js';
import type { ConnectorCall } from '../../../application/ports/business-connectors.port.js';
import { JOB_SCHEMA, QUEUES } from '../../driven/pg-boss/boss-db.js';
import { USE_CASES } from '../../composition/tokens.js';

/** A reminder job's data: about a task, or about a follow-up of a bad rating. */
export type ReminderJobData = { taskId?: string; followUpId?: string; kind: ReminderKind; dueAt: string };

/** Fires one reminder job with the use case its subject calls for. */
export function reminderDispatcher(container: Container): (job: { id: string; data: ReminderJobData }) => Promise<'sent' | 'stale'> {
  const tasks = container.get<TaskRemindersUseCase>(USE_CASES.taskReminders);
  const followUps = container.get<FollowUpRemindersUseCase>(USE_CASES.followUpReminders);
  const queue = QUEUES.reminder;
  return async ({ id, data: { taskId, followUpId, kind, dueAt } }) => {
    if (taskId) return tasks.fire({ queue, id, taskId, kind, dueAt });
    if (followUpId) return followUps.fire({ queue, id, followUpId, kind, dueAt });
    throw new Error(`reminder job ${id} names neither a task nor a follow-up`);
  };
}

/** A connector call job as pg-boss hands it over with its metadata: how many attempts it had, and may have. */
export interface ConnectorJob { id: string; data: ConnectorCall; retryCount: number; retryLimit: number }

/** Makes one attempt of a connector call with the use case; the attempt number comes from the queue. */
export function connectorDispatcher(container: Container): (job: ConnectorJob) => Promise<'sent' | 'failed' | 'abandoned'> {
  const calls = container.get<CallBusinessSystemUseCase>(USE_CASES.callBusinessSystem);
  return (job) => calls.call({ queue: QUEUES.connector, id: job.id, call: job.data, attempt: job.retryCount + 1, attempts: job.retryLimit + 1 });
}

export interface JobWorkerOptions {
  connectionString: string;
  /** How often this instance looks for jobs of a dead worker (expired) to hand out again. */
  maintenanceSeconds: number;
  pollingSeconds?: number;
  batchSize?: number;
}

/**
 * Works the durable jobs (pg-boss, in PostgreSQL): reminder timers, e-mail deliveries and calls to
 * business systems. Every
 * instance of the hall may run one; pg-boss hands each job to one worker at a time (SKIP LOCKED),
 * and takes back the jobs of a worker that died once they expire.
 */
export class JobWorker {
  private boss: PgBoss | undefined;

  constructor(private readonly container: Container, private readonly options: JobWorkerOptions, private readonly logger: Logger) {}

  async start(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.options.connectionString, schema: JOB_SCHEMA, max: 3, application_name: 'service-hall-jobs',
      migrate: false, schedule: false, supervise: true, maintenanceIntervalSeconds: this.options.maintenanceSeconds,
    });
    boss.on('error', (e) => this.logger.error({ err: e }, 'job queue error'));
    await boss.start();
    this.boss = boss;
    const fire = reminderDispatcher(this.container);
    const email = this.container.get<EmailDeliveryUseCase>(USE_CASES.emailDelivery);
    const work = { batchSize: this.options.batchSize ?? 10, pollingIntervalSeconds: this.options.pollingSeconds ?? 1 };
    await boss.work<ReminderJobData>(QUEUES.reminder, work, async (jobs) => {
      // one transaction per job: a failure fails only the jobs not yet done
      for (const job of jobs) await fire(job);
    });
    await boss.work<{ notificationId: string }>(QUEUES.email, work, async (jobs) => {
      for (const j of jobs) await email.deliver(j.data.notificationId);
    });
    const call = connectorDispatcher(this.container);
    // each attempt ends its own job (complete, or fail for the queue's back-off) in its transaction
    await boss.work<ConnectorCall>(QUEUES.connector, { ...work, includeMetadata: true }, async (jobs) => {
      for (const j of jobs) await call(j);
    });
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
    this.boss = undefined;
  }
}
