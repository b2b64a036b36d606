import type { Application } from '../../src/domain/application/application.entity.js';
import type { Task } from '../../src/domain/application/task.js';
import type { JobReceipts } from '../../src/application/ports/notifier.port.js';
import type { HallState, StoredJob } from './in-memory-database.js';

/** The durable queues as the migrations create them (pg-boss), with their retry limits and delays. */
export const QUEUES = { reminder: 'task-reminder', email: 'notification-email', connector: 'connector-call' } as const;
const SETTINGS: Record<string, { retryLimit: number; retryDelaySeconds: number }> = {
  [QUEUES.reminder]: { retryLimit: 10, retryDelaySeconds: 5 },
  [QUEUES.email]: { retryLimit: 10, retryDelaySeconds: 5 },
  [QUEUES.connector]: { retryLimit: 7, retryDelaySeconds: 30 },
};

/** Not yet done: what pg-boss's `state < 'completed'` selects. */
const pending = (j: StoredJob) => j.state === 'created' || j.state === 'retry' || j.state === 'active';
const find = (state: HallState, queue: string, id: string) => state.jobs.find((j) => j.queue === queue && j.id === id);

/** Enqueues a job unless one with its id is there already (ON CONFLICT DO NOTHING); due at once without `startAfter`. */
export function insertJob(
  state: HallState,
  job: { queue: string; id: string; data: Record<string, unknown>; startAfter?: Date },
): void {
  const settings = SETTINGS[job.queue];
  if (!settings) throw new Error(`no queue '${job.queue}'`);
  if (find(state, job.queue, job.id)) return;
  state.jobs.push({
    queue: job.queue,
    id: job.id,
    data: structuredClone(job.data),
    state: 'created',
    startAfter: job.startAfter ?? new Date(),
    retryCount: 0,
    started: false,
    retryLimit: settings.retryLimit,
    error: null,
  });
}

/** Jobs not yet done stop (a cancelled job can be resumed). */
export function cancelJobs(state: HallState, queue: string, ids: readonly string[]): void {
  for (const j of state.jobs) if (j.queue === queue && ids.includes(j.id) && pending(j)) j.state = 'cancelled';
}

/** Cancelled jobs start again. */
export function resumeJobs(state: HallState, queue: string, ids: readonly string[]): void {
  for (const j of state.jobs)
    if (j.queue === queue && ids.includes(j.id) && j.state === 'cancelled') j.state = 'created';
}

/** A worker's job ends with the transaction of its work, as pg-boss's complete and fail do on the transaction's connection. */
export class InMemoryJobReceipts implements JobReceipts {
  constructor(private readonly state: HallState) {}

  /** Only an active job (one a worker holds) completes; any other call changes nothing. */
  async complete(job: { queue: string; id: string }): Promise<void> {
    const j = find(this.state, job.queue, job.id);
    if (j?.state === 'active') j.state = 'completed';
  }

  /** A job not yet done is retried after its back-off, or kept failed once its retries are spent. */
  async fail(job: { queue: string; id: string }, error: string): Promise<void> {
    const j = find(this.state, job.queue, job.id);
    if (!j || !pending(j)) return;
    j.error = error.slice(0, 1000);
    if (j.retryCount < j.retryLimit) {
      j.state = 'retry';
      j.startAfter = new Date(Date.now() + SETTINGS[j.queue]!.retryDelaySeconds * 1000);
    } else {
      j.state = 'failed';
    }
  }
}

export interface ReminderPolicy {
  beforeHours: number;
  escalateAfterHours: number;
  expireSeconds: number;
}
/** The configuration's defaults, as KnexUnitOfWork's. */
export const DEFAULT_REMINDERS: ReminderPolicy = { beforeHours: 24, escalateAfterHours: 24, expireSeconds: 60 };
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
const KINDS = ['before-due', 'due', 'overdue'] as const;
const timerId = (subjectId: string, kind: string, dueAt: Date) => `${subjectId}|${kind}|${dueAt.toISOString()}`;

/**
 * Reminder timers of tasks (or follow-ups) as DueTimers arms them: before the due time when there
 * is still time for it, at it, and the escalation after it; disarmed when the subject closes, and
 * given back when it reopens with the same due time. One id per subject, kind and due time.
 */
export class InMemoryDueTimers {
  constructor(
    private readonly policy: ReminderPolicy,
    private readonly subject: 'taskId' | 'followUpId' = 'taskId',
  ) {}

  apply(state: HallState, start: readonly TimerStart[], stop: readonly TimerStop[]): void {
    for (const t of stop)
      cancelJobs(
        state,
        QUEUES.reminder,
        KINDS.map((k) => timerId(t.id, k, t.dueAt)),
      );
    for (const t of start) {
      const due = t.dueAt.getTime();
      const before = due - this.policy.beforeHours * HOUR;
      const at = {
        'before-due': this.policy.beforeHours > 0 && before > t.openedAt.getTime() ? new Date(before) : null,
        due: t.dueAt,
        overdue: new Date(due + this.policy.escalateAfterHours * HOUR),
      };
      for (const kind of KINDS) {
        const startAfter = at[kind];
        if (startAfter)
          insertJob(state, {
            queue: QUEUES.reminder,
            id: timerId(t.id, kind, t.dueAt),
            data: { [this.subject]: t.id, kind, dueAt: t.dueAt.toISOString() },
            startAfter,
          });
      }
      if (t.reopened)
        resumeJobs(
          state,
          QUEUES.reminder,
          KINDS.map((k) => timerId(t.id, k, t.dueAt)),
        );
    }
  }
}

/** The timers a save starts and stops: those of tasks that open, close, or change their due time (as KnexApplicationRepository works them out). */
export function taskTimers(application: Application): { start: TimerStart[]; stop: TimerStop[] } {
  const start: TimerStart[] = [];
  const stop: TimerStop[] = [];
  const timed = (t: Pick<Task, 'status' | 'dueAt'> | null | undefined) =>
    t?.status === 'open' && t.dueAt ? t.dueAt : null;
  for (const t of application.current.tasks) {
    if (!application.changes.tasks.has(t.id)) continue;
    const was = application.changes.tasks.get(t.id);
    const before = timed(was);
    const after = timed(t);
    if (before === after || (before && after && Date.parse(before) === Date.parse(after))) continue;
    if (before) stop.push({ id: t.id, dueAt: new Date(before) });
    if (after)
      start.push({ id: t.id, dueAt: new Date(after), openedAt: new Date(t.createdAt), reopened: was !== null });
  }
  return { start, stop };
}
