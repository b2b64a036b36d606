import type { Knex } from 'knex';
import PgBoss from 'pg-boss';
import { bossDb, JOB_SCHEMA, QUEUES } from './boss-db.js';
import type { BatchPart } from '../knex/statement-batch.js';
import { cancelJobs, insertJobs, jobId, resumeJobs } from './job-rows.js';

export type ReminderKind = 'before-due' | 'due' | 'overdue';
/** What a timer is about: a task (its holder is reminded) or a follow-up of a bad rating (整改). */
export type TimerSubject = 'taskId' | 'followUpId';
export interface ReminderPolicy {
  beforeHours: number;
  escalateAfterHours: number;
  expireSeconds: number;
}
/** A subject whose timers start: `reopened` when it was open before with this due time (a signer added before it answered). */
export interface TimerStart {
  id: string;
  dueAt: Date;
  openedAt: Date;
  reopened: boolean;
}
export interface TimerStop {
  id: string;
  dueAt: Date;
}

const HOUR = 3_600_000;
const KINDS: ReminderKind[] = ['before-due', 'due', 'overdue'];

/** A task's (or follow-up's) reminder for one due time always has the same job id: arming twice adds nothing. */
export function reminderJobId(subjectId: string, kind: ReminderKind, dueAt: string): string {
  return jobId(`${subjectId}|${kind}|${new Date(dueAt).toISOString()}`);
}

/**
 * The reminder timers of tasks (and of follow-ups) as durable pg-boss jobs, armed and disarmed in
 * the transaction that opens or closes them: before the due time (when there is still time for it),
 * at the due time, and the escalation after it. A job that fires finds its subject as it is then,
 * and does nothing if it is no longer open or its due time moved.
 */
export class DueTimers {
  constructor(
    private readonly policy: ReminderPolicy,
    private readonly subject: TimerSubject = 'taskId',
  ) {}

  private schedule(t: TimerStart): Array<{ kind: ReminderKind; at: Date }> {
    const due = t.dueAt.getTime();
    const before = due - this.policy.beforeHours * HOUR;
    return [
      ...(this.policy.beforeHours > 0 && before > t.openedAt.getTime()
        ? [{ kind: 'before-due' as const, at: new Date(before) }]
        : []),
      { kind: 'due', at: t.dueAt },
      { kind: 'overdue', at: new Date(due + this.policy.escalateAfterHours * HOUR) },
    ];
  }

  /** The statements that stop the timers of `stop` and start those of `start` (none when both are empty). */
  parts(start: readonly TimerStart[], stop: readonly TimerStop[]): BatchPart[] {
    const parts: BatchPart[] = [];
    if (stop.length) {
      parts.push(
        cancelJobs(
          QUEUES.reminder,
          stop.flatMap((t) => KINDS.map((k) => reminderJobId(t.id, k, t.dueAt.toISOString()))),
        ),
      );
    }
    if (start.length) {
      parts.push(
        insertJobs(
          start.flatMap((t) =>
            this.schedule(t).map(({ kind, at }) => ({
              id: reminderJobId(t.id, kind, t.dueAt.toISOString()),
              name: QUEUES.reminder,
              data: { [this.subject]: t.id, kind, dueAt: t.dueAt.toISOString() },
              startAfter: at,
              expireSeconds: this.policy.expireSeconds,
            })),
          ),
        ),
      );
      // a subject that reopens with the same due time gets back the reminders its closing cancelled
      const back = start
        .filter((t) => t.reopened)
        .flatMap((t) => KINDS.map((k) => reminderJobId(t.id, k, t.dueAt.toISOString())));
      if (back.length) parts.push(resumeJobs(QUEUES.reminder, back));
    }
    return parts;
  }

  /** Runs the same statements at once, one after the other (for callers without a batch). */
  async apply(db: Knex | Knex.Transaction, start: readonly TimerStart[], stop: readonly TimerStop[]): Promise<void> {
    for (const p of this.parts(start, stop)) await db.raw(p.sql, p.bindings as Knex.RawBinding[]);
  }
}

// a client for the statements only: it is never started, the work is done by the job worker
const boss = new PgBoss({
  schema: JOB_SCHEMA,
  db: { executeSql: () => Promise.reject(new Error('no default connection')) },
});

/** Completes a worker's job inside a transaction, so the job ends exactly when its work commits. */
export class BossJobReceipts {
  private readonly db: PgBoss.Db;
  constructor(trx: Knex.Transaction) {
    this.db = bossDb(trx);
  }
  async complete(job: { queue: string; id: string }): Promise<void> {
    await boss.complete(job.queue, job.id, {}, { db: this.db });
  }

  /** pg-boss schedules the retry (or keeps the job failed after its last attempt), with this transaction's work. */
  async fail(job: { queue: string; id: string }, error: string): Promise<void> {
    await boss.fail(job.queue, job.id, { message: error.slice(0, 1000) }, { db: this.db });
  }

  /** Enqueues the e-mail of a notification, to be delivered after commit. */
  async enqueueEmail(notificationId: string, expireSeconds: number): Promise<void> {
    await boss.insert(
      [{ id: notificationId, name: QUEUES.email, data: { notificationId }, expireInSeconds: expireSeconds }],
      { db: this.db },
    );
  }
}
