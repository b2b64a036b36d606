import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import PgBoss from 'pg-boss';
import { bossDb, JOB_SCHEMA, QUEUES } from './boss-db.js';

export type ReminderKind = 'before-due' | 'due' | 'overdue';
/** What a timer is about: a task (its holder is reminded) or a follow-up of a bad rating (整改). */
export type TimerSubject = 'taskId' | 'followUpId';
export interface ReminderPolicy { beforeHours: number; escalateAfterHours: number; expireSeconds: number }

const HOUR = 3_600_000;
const KINDS: ReminderKind[] = ['before-due', 'due', 'overdue'];

/** A task's (or follow-up's) reminder for one due time always has the same job id: arming twice adds nothing. */
export function reminderJobId(subjectId: string, kind: ReminderKind, dueAt: string): string {
  const h = createHash('sha256').update(`${subjectId}|${kind}|${new Date(dueAt).toISOString()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

// a client for the statements only: it is never started, the work is done by the job worker
const boss = new PgBoss({ schema: JOB_SCHEMA, db: { executeSql: () => Promise.reject(new Error('no default connection')) } });

/**
 * The reminder timers of tasks (and of follow-ups) as durable pg-boss jobs, armed and disarmed in
 * the transaction that opens or closes them: before the due time (when there is still time for it),
 * at the due time, and the escalation after it. A job that fires finds its subject as it is then,
 * and does nothing if it is no longer open or its due time moved.
 */
export class DueTimers {
  private readonly db: PgBoss.Db;

  constructor(trx: Knex | Knex.Transaction, private readonly policy: ReminderPolicy, private readonly subject: TimerSubject = 'taskId') {
    this.db = bossDb(trx);
  }

  private schedule(task: { id: string; dueAt: Date; openedAt: Date }): Array<{ kind: ReminderKind; at: Date }> {
    const due = task.dueAt.getTime();
    const before = due - this.policy.beforeHours * HOUR;
    return [
      ...this.policy.beforeHours > 0 && before > task.openedAt.getTime() ? [{ kind: 'before-due' as const, at: new Date(before) }] : [],
      { kind: 'due', at: task.dueAt },
      { kind: 'overdue', at: new Date(due + this.policy.escalateAfterHours * HOUR) },
    ];
  }

  /** `reopened`: the task was open before with this due time (a signer added before it answered). */
  async arm(tasks: Array<{ id: string; dueAt: Date; openedAt: Date; reopened: boolean }>): Promise<void> {
    if (!tasks.length) return;
    const jobs = tasks.flatMap((t) => this.schedule(t).map(({ kind, at }) => ({
      id: reminderJobId(t.id, kind, t.dueAt.toISOString()), name: QUEUES.reminder,
      data: { [this.subject]: t.id, kind, dueAt: t.dueAt.toISOString() },
      startAfter: at.toISOString(), expireInSeconds: this.policy.expireSeconds,
    })));
    await boss.insert(jobs, { db: this.db });
    // a task that reopens with the same due time gets back the reminders its closing cancelled
    const reopened = new Set(tasks.filter((t) => t.reopened).map((t) => t.id));
    const back = jobs.filter((j) => reopened.has(j.data[this.subject]!)).map((j) => j.id);
    if (back.length) await boss.resume(QUEUES.reminder, back, { db: this.db });
  }

  async disarm(tasks: Array<{ id: string; dueAt: Date }>): Promise<void> {
    if (!tasks.length) return;
    await boss.cancel(QUEUES.reminder, tasks.flatMap((t) => KINDS.map((k) => reminderJobId(t.id, k, t.dueAt.toISOString()))), { db: this.db });
  }
}

/** Completes a worker's job inside a transaction, so the job ends exactly when its work commits. */
export class BossJobReceipts {
  private readonly db: PgBoss.Db;
  constructor(trx: Knex.Transaction) { this.db = bossDb(trx); }
  async complete(job: { queue: string; id: string }): Promise<void> {
    await boss.complete(job.queue, job.id, {}, { db: this.db });
  }

  /** Enqueues the e-mail of a notification, to be delivered after commit. */
  async enqueueEmail(notificationId: string, expireSeconds: number): Promise<void> {
    await boss.insert([{ id: notificationId, name: QUEUES.email, data: { notificationId }, expireInSeconds: expireSeconds }], { db: this.db });
  }
}
