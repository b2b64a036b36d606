import { CallFailed, type Answer, type HallClient } from './hall-client.js';

/** What the hall acknowledged (a 2xx answer): each of these must be in the database after the drill. */
export interface Acknowledged {
  /** purpose (unique per case) -> application id */
  applications: Map<string, string>;
  /** task ids approved */
  approvals: Set<string>;
}

export interface Case {
  /** The service item's code and the people who apply and handle. */
  item: { code: string; id: string };
  applicant: string;
  handler: string;
  form: (purpose: string) => Record<string, unknown>;
}

type Task = { id: string; node: string; status: string; assignee: string | null };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One application worked through as a portal would: applied for (with an Idempotency-Key, so a
 * retry after a lost answer does not apply twice), then each open task claimed and approved by the
 * handler until it completes. With `retry`, an unanswered call, a 5xx or a 429 is tried again
 * (after Retry-After, at most `until`); without, the first failure ends the case.
 */
export async function workCase(
  client: HallClient,
  c: Case,
  purpose: string,
  ack: Acknowledged,
  o: { retry: boolean; until: number; stopped?: () => boolean },
): Promise<{ applicationId: string; state: string }> {
  const attempt = async (
    what: string,
    call: () => Promise<Answer>,
    accept: (r: Answer) => boolean,
  ): Promise<Answer> => {
    for (;;) {
      let failure: string;
      let wait = 300;
      try {
        const r = await call();
        if (accept(r)) return r;
        failure = `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
        // the first attempt's answer was lost and it is still running (or died holding the key)
        const inProgress = r.status === 409 && r.body.code === 'IDEMPOTENCY.IN_PROGRESS';
        if (!(r.status >= 500 || r.status === 429 || inProgress)) throw new Error(`${what}: ${failure}`);
        const after = Number(r.headers.get('retry-after'));
        if (after > 0) wait = Math.min(after, 2) * 1000;
      } catch (e) {
        if (!(e instanceof CallFailed)) throw e;
        failure = e.message;
      }
      if (!o.retry || Date.now() + wait > o.until || o.stopped?.()) throw new Error(`${what}: ${failure}`);
      await sleep(wait);
    }
  };

  const applied = await attempt(
    'apply',
    () =>
      client.as(c.applicant, 'apply', 'POST', '/api/v1/applications', {
        body: { itemId: c.item.id, form: c.form(purpose) },
        headers: { 'idempotency-key': `drill-${purpose}` },
      }),
    (r) => r.status === 201,
  );
  const id = String(applied.body.id);
  ack.applications.set(purpose, id);
  let app = applied.body as { state: string; currentTasks: Task[] };
  const read = async () =>
    (
      await attempt(
        'read',
        () => client.as(c.handler, 'read', 'GET', `/api/v1/applications/${id}`),
        (r) => r.status === 200,
      )
    ).body as { state: string; currentTasks: Task[] };

  for (let steps = 0; app.state !== 'completed' && steps < 20; steps++) {
    const task = app.currentTasks.find((t) => t.status === 'open');
    if (!task) {
      app = await read();
      if (!app.currentTasks.some((t) => t.status === 'open')) break;
      continue;
    }
    if (task.assignee === null) {
      // a 409 may be our own claim whose answer was lost: the read below tells
      await attempt(
        'claim',
        () => client.as(c.handler, 'claim', 'POST', `/api/v1/tasks/${task.id}/claim`),
        (r) => r.status === 200 || r.status === 409,
      );
      app = await read();
      continue;
    }
    const approved = await attempt(
      'approve',
      () => client.as(c.handler, 'approve', 'POST', `/api/v1/tasks/${task.id}/approve`),
      (r) => r.status === 200 || r.status === 409,
    );
    if (approved.status === 200) {
      ack.approvals.add(task.id);
      app = approved.body as typeof app;
    } else app = await read();
  }
  return { applicationId: id, state: app.state };
}

/**
 * A steady load: `users` portals each working cases one after another, retrying through a fault,
 * until stopped. Cases that could not finish are counted, not thrown: the report says how many.
 */
export class SteadyLoad {
  readonly ack: Acknowledged = { applications: new Map(), approvals: new Set() };
  completed = 0;
  unfinished = 0;
  errors: string[] = [];
  private stopping = false;
  private running: Array<Promise<void>> = [];
  private n = 0;

  constructor(
    private readonly client: HallClient,
    private readonly c: Case,
    private readonly runId: string,
    private readonly o: { users: number; caseTimeoutMs: number; pauseMs?: number },
  ) {}

  start(): void {
    for (let u = 0; u < this.o.users; u++) this.running.push(this.user());
  }

  private async user(): Promise<void> {
    while (!this.stopping) {
      const purpose = `drill:${this.runId}:${++this.n}`;
      try {
        const r = await workCase(this.client, this.c, purpose, this.ack, {
          retry: true,
          until: Date.now() + this.o.caseTimeoutMs,
          stopped: () => this.stopping,
        });
        if (r.state === 'completed') this.completed++;
        else this.unfinished++;
      } catch (e) {
        this.unfinished++;
        if (this.errors.length < 20) this.errors.push(e instanceof Error ? e.message : String(e));
      }
      if (this.o.pauseMs) await sleep(this.o.pauseMs);
    }
  }

  /** Stops starting cases and lets those in flight finish (they stop retrying). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }
}
