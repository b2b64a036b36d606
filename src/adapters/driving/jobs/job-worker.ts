import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { EmailDeliveryUseCase } from '../../../application/reminders/email-delivery.use-case.js';
import type { ReminderKind, TaskRemindersUseCase } from '../../../application/reminders/task-reminders.use-case.js';
import type { FollowUpRemindersUseCase } from '../../../application/reminders/follow-up-reminders.use-case.js';
import type { CallBusinessSystemUseCase } from '../../../application/applications/call-business-system.use-case.js';
import type { ConnectorCall } from '../../../application/ports/business-connectors.port.js';
import type { RelayOutboxUseCase } from '../../../application/outbox/relay-outbox.use-case.js';
import { DEFAULT_RELAY_OPTIONS, OutboxRelayRunner, type OutboxRelayOptions } from './outbox-relay-runner.js';
import type { SequenceAuditLogUseCase } from '../../../application/audit/sequence-audit-log.use-case.js';
import type { AuditCheckpointsUseCase } from '../../../application/audit/audit-checkpoints.use-case.js';
import type { AuditPartitionsUseCase } from '../../../application/audit/audit-partitions.use-case.js';
import { AuditLogRunner, type AuditLogRunnerOptions } from './audit-log-runner.js';
import type { CertificationExpiryUseCase } from '../../../application/permissions/certification-expiry.use-case.js';
import { DAILY_SLOT_SECONDS, DailyJobRunner, dailyAsk } from './daily-job-runner.js';

/** A reminder job's data: about a task, or about a follow-up of a bad rating. */
export type ReminderJobData = { taskId?: string; followUpId?: string; kind: ReminderKind; dueAt: string };

export interface JobUseCases {
  taskReminders: TaskRemindersUseCase;
  followUpReminders: FollowUpRemindersUseCase;
  emailDelivery: EmailDeliveryUseCase;
  callBusinessSystem: CallBusinessSystemUseCase;
  relayOutbox: RelayOutboxUseCase;
  sequenceAuditLog: SequenceAuditLogUseCase;
  auditCheckpoints: AuditCheckpointsUseCase;
  certificationExpiry: CertificationExpiryUseCase;
  auditPartitions: AuditPartitionsUseCase;
}

/** Fires one reminder job of `queue` with the use case its subject calls for. */
export function reminderDispatcher(
  uc: Pick<JobUseCases, 'taskReminders' | 'followUpReminders'>,
  queue: string,
): (job: { id: string; data: ReminderJobData }) => Promise<'sent' | 'stale' | 'acted'> {
  const { taskReminders: tasks, followUpReminders: followUps } = uc;
  return async ({ id, data: { taskId, followUpId, kind, dueAt } }) => {
    if (taskId) return tasks.fire({ queue, id, taskId, kind, dueAt });
    if (followUpId) return followUps.fire({ queue, id, followUpId, kind, dueAt });
    throw new Error(`reminder job ${id} names neither a task nor a follow-up`);
  };
}

/** A connector call job as pg-boss hands it over with its metadata: how many attempts it had, and may have. */
export interface ConnectorJob {
  id: string;
  data: ConnectorCall;
  retryCount: number;
  retryLimit: number;
}

/** Makes one attempt of a connector call with the use case; the attempt number comes from the queue. */
export function connectorDispatcher(
  uc: Pick<JobUseCases, 'callBusinessSystem'>,
  queue: string,
): (job: ConnectorJob) => Promise<'sent' | 'failed' | 'abandoned'> {
  return (job) =>
    uc.callBusinessSystem.call({
      queue,
      id: job.id,
      call: job.data,
      attempt: job.retryCount + 1,
      attempts: job.retryLimit + 1,
    });
}

export interface JobWorkerOptions {
  connectionString: string;
  /**
   * Where the jobs are: pg-boss's schema and the queue of each kind of job. The driven side that
   * enqueues them names them; the composition root tells the worker.
   */
  schema: string;
  queues: {
    reminder: string;
    email: string;
    connector: string;
    auditCheckpoint: string;
    certificationExpiry: string;
  };
  /** How often this instance looks for jobs of a dead worker (expired) to hand out again. */
  maintenanceSeconds: number;
  pollingSeconds?: number;
  batchSize?: number;
  /** The outbox relay's timing (tests shorten it). */
  relay?: Partial<OutboxRelayOptions>;
  /** The audit sequencer's and checkpoints' timing (AUDIT_CHECKPOINT_MINUTES; tests shorten it). */
  audit?: Partial<AuditLogRunnerOptions>;
  /**
   * The daily certification-expiry job: how often each instance asks for it (an hour), and whether
   * at any time of day rather than from 08:00 to 20:00 in China (tests).
   */
  certificationExpiry?: { askEveryMs?: number; askAnyTime?: boolean };
}

/**
 * Works the durable jobs (pg-boss, in PostgreSQL): reminder timers, e-mail deliveries and calls to
 * business systems. Every
 * instance of the hall may run one; pg-boss hands each job to one worker at a time (SKIP LOCKED),
 * and takes back the jobs of a worker that died once they expire.
 */
export class JobWorker {
  private boss: PgBoss | undefined;
  private relay: OutboxRelayRunner | undefined;
  private audit: AuditLogRunner | undefined;
  private daily: DailyJobRunner | undefined;

  constructor(
    private readonly useCases: JobUseCases,
    private readonly options: JobWorkerOptions,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.options.connectionString,
      schema: this.options.schema,
      max: 3,
      application_name: 'service-hall-jobs',
      migrate: false,
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: this.options.maintenanceSeconds,
    });
    boss.on('error', (e) => this.logger.error({ err: e }, 'job queue error'));
    await boss.start();
    this.boss = boss;
    const { queues } = this.options;
    const fire = reminderDispatcher(this.useCases, queues.reminder);
    const email = this.useCases.emailDelivery;
    const work = { batchSize: this.options.batchSize ?? 10, pollingIntervalSeconds: this.options.pollingSeconds ?? 1 };
    await boss.work<ReminderJobData>(queues.reminder, work, async (jobs) => {
      // one transaction per job: a failure fails only the jobs not yet done
      for (const job of jobs) await fire(job);
    });
    await boss.work<{ notificationId: string }>(queues.email, work, async (jobs) => {
      for (const j of jobs) await email.deliver(j.data.notificationId);
    });
    const call = connectorDispatcher(this.useCases, queues.connector);
    // each attempt ends its own job (complete, or fail for the queue's back-off) in its transaction
    await boss.work<ConnectorCall>(queues.connector, { ...work, includeMetadata: true }, async (jobs) => {
      for (const j of jobs) await call(j);
    });
    // the outbox relay of each configured sink: one holder of each across the instances
    this.relay = new OutboxRelayRunner(this.useCases.relayOutbox, this.logger, {
      ...DEFAULT_RELAY_OPTIONS,
      ...this.options.relay,
    });
    this.relay.start();
    // the audit log: its sequencer, and a checkpoint job per interval (pg-boss keeps one per
    // interval across the instances: the singleton key and seconds)
    const checkpointEveryMs = this.options.audit?.checkpointEveryMs ?? 60 * 60_000;
    await boss.work(queues.auditCheckpoint, work, async () => {
      const published = await this.useCases.auditCheckpoints.publish();
      if (!published.ok) this.logger.error({ code: published.error.code }, published.error.message);
    });
    this.audit = new AuditLogRunner(
      this.useCases.sequenceAuditLog,
      async () => {
        await boss.send(
          queues.auditCheckpoint,
          {},
          { singletonKey: 'scheduled', singletonSeconds: Math.max(1, Math.floor(checkpointEveryMs / 1000)) },
        );
      },
      async () => {
        const created = await this.useCases.auditPartitions.ensureAhead();
        if (created.length) this.logger.info({ partitions: created }, 'audit log partitions created');
      },
      this.logger,
      { sequenceEveryMs: 1000, checkpointEveryMs, partitionsEveryMs: 24 * 3_600_000, ...this.options.audit },
    );
    this.audit.start();
    // admin roles lapse with their training certification (Art. 17): one job per day across the
    // instances, asked for from 08:00 in China (the day as singleton key, in one slot of the day)
    await boss.work<{ day: string }>(queues.certificationExpiry, work, async (jobs) => {
      for (const j of jobs) {
        const run = await this.useCases.certificationExpiry.run({ jobId: j.id });
        if (run.revoked.length || run.noticed.length)
          this.logger.info(
            { day: run.today, revoked: run.revoked.length, noticed: run.noticed.length },
            'certification expiry: admin roles revoked, expiry notices sent',
          );
      }
    });
    const expiry = this.options.certificationExpiry;
    this.daily = new DailyJobRunner(
      async () => {
        const ask = dailyAsk(new Date(), expiry?.askAnyTime);
        if (!ask) return;
        await boss.send(
          queues.certificationExpiry,
          { day: ask.day },
          { singletonKey: ask.singletonKey, singletonSeconds: DAILY_SLOT_SECONDS },
        );
      },
      this.logger,
      expiry?.askEveryMs ?? 60 * 60_000,
    );
    this.daily.start();
  }

  async stop(): Promise<void> {
    await this.daily?.stop();
    this.daily = undefined;
    await this.audit?.stop();
    this.audit = undefined;
    await this.relay?.stop();
    this.relay = undefined;
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
    this.boss = undefined;
  }
}
