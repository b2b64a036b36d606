import pg from 'pg';
import type { HallClient } from './hall-client.js';
import { workCase, type Acknowledged, type Case } from './load.js';
import { SANDBOX_CONNECTOR, type Sandbox } from './sandbox.js';

/** What every drill function reaches: the hall over HTTP, its database as an observer, the sandbox when there is one. */
export interface DrillContext {
  mode: 'sandbox' | 'target';
  runId: string;
  client: HallClient;
  /** Reads (and, for the target's disconnect, the ALLOW_CONNECTIONS switch) straight on the database, not through the hall. */
  db: pg.Pool;
  databaseUrl: string;
  sandbox?: Sandbox;
  case: Case;
  ack: Acknowledged;
  note(event: string): void;
  /** What the functions found, for the report's figures. */
  figures: Record<string, number | string | boolean | null>;
  /** The tasks whose reminders were made due, the applications sent to the business system, sign-ins made. */
  subjects: { reminderTasks: string[]; reminderJobs: string[]; transferApplications: string[]; startedAt: Date };
}

type Args = Record<string, unknown>;
export interface DrillFunction {
  kind: 'action' | 'probe';
  summary: string;
  /** true, or why it cannot run in that mode */
  sandbox: true | string;
  target: true | string;
  run(ctx: DrillContext, args: Args): Promise<boolean | void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NEEDS_SANDBOX = 'needs the sandbox (a process or server this drill started)';
const num = (args: Args, key: string, fallback: number) =>
  typeof args[key] === 'number' ? (args[key] as number) : fallback;

/** Polls `check` until it holds or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms: number, every = 250): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      /* not yet */
    }
    if (Date.now() >= end) return false;
    await sleep(every);
  }
}

async function count(ctx: DrillContext, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await ctx.db.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

const dueJobs = `SELECT count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now()`;

/** Events written since the drill began that the data platform has not taken (and the relay has not parked). */
function undelivered(ctx: DrillContext): Promise<string[]> {
  const taken = ctx.sandbox!.dataPlatform.taken;
  return ctx.db
    .query<{ id: string }>(
      `SELECT o.id FROM outbox o WHERE o.occurred_at >= $1
         AND NOT EXISTS (SELECT 1 FROM outbox_parked p WHERE p.sink = 'data-platform' AND p.seq = o.seq)`,
      [ctx.subjects.startedAt],
    )
    .then((r) => r.rows.map((x) => x.id).filter((id) => !taken.has(id)));
}

async function catalogueItem(ctx: DrillContext, code: string): Promise<Record<string, unknown> | undefined> {
  const r = await ctx.client.as(ctx.case.applicant, 'catalogue', 'GET', '/api/v1/catalogue');
  if (r.status !== 200) return undefined;
  return (r.body.items as Array<Record<string, unknown>>).find((i) => i.code === code);
}

/** A CAS sign-in as a browser makes it: the hall's redirect, the CAS login, the callback with the ticket. */
async function casSignIn(ctx: DrillContext, user: string): Promise<number | 'timeout' | 'network'> {
  try {
    const start = await ctx.client.request('cas-login', 'GET', '/api/v1/auth/cas/login?returnTo=%2F');
    const location = start.headers.get('location');
    if (start.status !== 302 || !location) return start.status;
    const cookie = start.headers.get('set-cookie')?.split(';')[0];
    const casAnswer = await fetch(`${location}&login_hint=${user}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
    const back = new URL(casAnswer.headers.get('location') ?? 'http://none/');
    const callback = await ctx.client.request('cas-callback', 'GET', `/api/v1/auth/cas/callback${back.search}`, {
      headers: cookie ? { cookie } : {},
    });
    return callback.status;
  } catch (e) {
    return e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'network';
  }
}

/** A fault on (or the end of one on) a system the sandbox runs beside the hall. */
function peerFault(summary: string, act: (sandbox: Sandbox) => void | Promise<void>): DrillFunction {
  return {
    kind: 'action',
    summary,
    sandbox: true,
    target: NEEDS_SANDBOX,
    run: async (ctx) => {
      await act(ctx.sandbox!);
    },
  };
}

export const DRILL_FUNCTIONS: Record<string, DrillFunction> = {
  // --- probes of the steady state
  ready: {
    kind: 'probe',
    summary: '/readyz answers 200',
    sandbox: true,
    target: true,
    run: async (ctx) => (await ctx.client.ready()).ready,
  },
  'round-trip': {
    kind: 'probe',
    summary: 'an application is applied for and approved to completion, each call answered the first time',
    sandbox: true,
    target: true,
    run: async (ctx) => {
      const r = await workCase(ctx.client, ctx.case, `drill:${ctx.runId}:probe-${Date.now()}`, ctx.ack, {
        retry: false,
        until: Date.now() + 30_000,
      });
      return r.state === 'completed';
    },
  },
  'queues-drained': {
    kind: 'probe',
    summary:
      'no job due and untaken; in the sandbox, every event since the drill began taken by the data platform (within `seconds`)',
    sandbox: true,
    target: true,
    run: (ctx, args) =>
      eventually(
        async () =>
          (await count(ctx, dueJobs)) === 0 && (ctx.mode !== 'sandbox' || (await undelivered(ctx)).length === 0),
        num(args, 'seconds', 60) * 1000,
        500,
      ),
  },
  // --- detection: how the hall shows it has noticed
  'not-ready': {
    kind: 'probe',
    summary: '/readyz does not answer 200',
    sandbox: true,
    target: true,
    run: async (ctx) => !(await ctx.client.ready()).ready,
  },
  'dependency-down': {
    kind: 'probe',
    summary: '/readyz lists the dependency `name` as down',
    sandbox: true,
    target: true,
    run: async (ctx, args) => {
      const deps = ((await ctx.client.ready()).body.dependencies ?? []) as Array<{ name: string; status: string }>;
      return deps.some((d) => d.name === args.name && d.status === 'down');
    },
  },
  'held-jobs-retaken': {
    kind: 'probe',
    summary: 'the jobs the killed worker held are no longer active (taken again after their expiry)',
    sandbox: true,
    target: NEEDS_SANDBOX,
    run: async (ctx) => {
      const held = String(ctx.figures.heldJobIds ?? '')
        .split(',')
        .filter(Boolean);
      return (
        (await count(ctx, `SELECT count(*) AS n FROM pgboss.job WHERE id::text = ANY($1) AND state = 'active'`, [
          held,
        ])) === 0
      );
    },
  },
  'events-held-back': {
    kind: 'probe',
    summary: 'events written since the drill began wait for the data platform',
    sandbox: true,
    target: NEEDS_SANDBOX,
    run: async (ctx) => (await undelivered(ctx)).length > 0,
  },
  'cas-sign-in-fails': {
    kind: 'probe',
    summary: 'a CAS sign-in is refused with an answer (not a hang)',
    sandbox: true,
    target: NEEDS_SANDBOX,
    run: async (ctx) => {
      const status = await casSignIn(ctx, 'zhangsan');
      return typeof status === 'number' && status >= 400;
    },
  },
  // --- faults and their rollbacks
  'database-stop': {
    kind: 'action',
    summary: 'stops the PostgreSQL server (fast shutdown: open connections end)',
    sandbox: true,
    target: 'stopping the server needs its host; use database-disconnect',
    run: async (ctx) => ctx.sandbox!.database.stop(),
  },
  'database-start': {
    kind: 'action',
    summary: 'starts the PostgreSQL server again, on the same port and data',
    sandbox: true,
    target: 'starting the server needs its host',
    run: async (ctx) => ctx.sandbox!.database.start(),
  },
  'database-disconnect': {
    kind: 'action',
    summary:
      'connections to the database refused and open ones cut (sandbox: the network to it; target: ALLOW_CONNECTIONS false and its sessions terminated, which needs the database owner)',
    sandbox: true,
    target: true,
    run: async (ctx) => {
      if (ctx.sandbox) return ctx.sandbox.database.disconnect();
      const name = new URL(ctx.databaseUrl).pathname.slice(1);
      await ctx.db.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} ALLOW_CONNECTIONS false`);
      const { rows } = await ctx.db.query<{ n: string }>(
        `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      ctx.figures.sessionsTerminated = Number(rows[0]?.n ?? 0);
    },
  },
  'database-reconnect': {
    kind: 'action',
    summary: 'connections to the database accepted again',
    sandbox: true,
    target: true,
    run: async (ctx) => {
      if (ctx.sandbox) return ctx.sandbox.database.reconnect();
      const name = new URL(ctx.databaseUrl).pathname.slice(1);
      await ctx.db.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} ALLOW_CONNECTIONS true`);
    },
  },
  'reminders-due': {
    kind: 'action',
    summary: '`cases` applications left open, their reminder timers (before due, due, escalation) made due now',
    sandbox: true,
    target: 'would send real reminders to real people',
    run: async (ctx, args) => {
      const ids: string[] = [];
      for (let i = 0; i < num(args, 'cases', 30); i++) {
        const r = await ctx.client.as(ctx.case.applicant, 'apply', 'POST', '/api/v1/applications', {
          body: { itemId: ctx.case.item.id, form: ctx.case.form(`drill:${ctx.runId}:reminder-${i}`) },
        });
        if (r.status !== 201) throw new Error(`reminders-due: apply answered ${r.status}`);
        ids.push(...(r.body.currentTasks as Array<{ id: string }>).map((t) => t.id));
      }
      ctx.subjects.reminderTasks.push(...ids);
      const armed = await ctx.db.query<{ id: string }>(
        `UPDATE pgboss.job SET start_after = now() WHERE name = 'task-reminder' AND state = 'created' AND data->>'taskId' = ANY($1) RETURNING id`,
        [ids],
      );
      ctx.subjects.reminderJobs.push(...armed.rows.map((r) => r.id));
      ctx.figures.remindersArmed = armed.rowCount ?? 0;
    },
  },
  'worker-kill': {
    kind: 'action',
    summary: 'SIGKILL to the job worker, as soon as it holds jobs (within `seconds`)',
    sandbox: true,
    target: 'the worker runs on the deployment’s host',
    run: async (ctx, args) => {
      const holding = async () =>
        (
          await ctx.db.query<{ id: string }>(
            `SELECT id FROM pgboss.job WHERE state = 'active' AND name = 'task-reminder'`,
          )
        ).rows.map((r) => r.id);
      let held: string[] = [];
      await eventually(async () => (held = await holding()).length > 0, num(args, 'seconds', 10) * 1000, 10);
      await ctx.sandbox!.worker.kill();
      held = await holding();
      ctx.figures.jobsHeldAtKill = held.length;
      ctx.figures.heldJobIds = held.join(',');
      ctx.note(`the worker was killed holding ${held.length} job(s)`);
    },
  },
  'worker-start': {
    kind: 'action',
    summary: 'a new job worker starts (as a supervisor restarts one)',
    sandbox: true,
    target: 'the worker runs on the deployment’s host',
    run: async (ctx) => {
      const w = await ctx.sandbox!.startWorker();
      ctx.sandbox!.replacements.push(w);
    },
  },
  'transfer-cases': {
    kind: 'action',
    summary: '`cases` dormitory applications taken to the transfer node, whose business system is then called',
    sandbox: true,
    target: 'would send cases to a real business system',
    run: async (ctx, args) => {
      const item = await catalogueItem(ctx, 'HQ-SSTH');
      if (!item) throw new Error('transfer-cases: the catalogue has no HQ-SSTH');
      for (let i = 0; i < num(args, 'cases', 5); i++) {
        const applied = await ctx.client.as('student-xx', 'apply', 'POST', '/api/v1/applications', {
          body: { itemId: item.id, form: { current_room: `5-${300 + i}`, reason: `drill ${ctx.runId}` } },
        });
        if (applied.status !== 201) throw new Error(`transfer-cases: apply answered ${applied.status}`);
        const task = (applied.body.currentTasks as Array<{ id: string }>)[0]!;
        await ctx.client.as('xx-counselor', 'claim', 'POST', `/api/v1/tasks/${task.id}/claim`);
        const approved = await ctx.client.as('xx-counselor', 'approve', 'POST', `/api/v1/tasks/${task.id}/approve`);
        if (approved.status !== 200) throw new Error(`transfer-cases: approve answered ${approved.status}`);
        ctx.subjects.transferApplications.push(String(applied.body.id));
      }
    },
  },
  'connector-silent': peerFault('the business system takes requests and never answers', (s) => {
    s.businessSystem.mode = 'silent';
  }),
  'connector-answer': peerFault('the business system answers again', (s) => s.businessSystem.answer()),
  'sink-fail': peerFault('the data platform answers 503 to every delivery', (s) => {
    s.dataPlatform.mode = 'failing';
  }),
  'sink-answer': peerFault('the data platform takes deliveries again', (s) => s.dataPlatform.answer()),
  'directory-stop': peerFault('the CAS server stops (connections refused, from browsers and the hall alike)', (s) =>
    s.cas.stop(),
  ),
  'directory-partition': peerFault(
    'the hall cannot reach the CAS server (its ticket validations are cut) while browsers still sign in there and come back with tickets',
    (s) => {
      s.cas.mode = 'partitioned';
    },
  ),
  'directory-start': peerFault('the CAS server is back', (s) => s.cas.answer()),
  'cas-sign-in': {
    kind: 'probe',
    summary: 'a CAS sign-in opens a session',
    sandbox: true,
    target: NEEDS_SANDBOX,
    run: async (ctx) => (await casSignIn(ctx, 'zhangsan')) === 200,
  },
  'sign-ins': {
    kind: 'probe',
    summary:
      'CAS sign-ins, password sign-ins and a session opened before, `times` each: CAS may be refused (with an answer, never a hang); the others must work',
    sandbox: true,
    target: NEEDS_SANDBOX,
    run: async (ctx, args) => {
      const add = (key: string) => (ctx.figures[key] = Number(ctx.figures[key] ?? 0) + 1);
      for (let i = 0; i < num(args, 'times', 3); i++) {
        const cas = await casSignIn(ctx, 'zhangsan');
        add(cas === 200 ? 'casSignInsOk' : typeof cas === 'number' ? 'casSignInsRefused' : 'casSignInsUnanswered');
        try {
          await ctx.client.token(ctx.case.handler, true);
          add('passwordSignInsOk');
        } catch {
          add('passwordSignInsFailed');
        }
        const me = await ctx.client.as(ctx.case.applicant, 'me', 'GET', '/api/v1/me').catch(() => ({ status: 0 }));
        add(me.status === 200 ? 'sessionsOk' : 'sessionsFailed');
      }
      return true;
    },
  },
  'offline-procedure-shown': {
    kind: 'probe',
    summary: 'the catalogue shows item `code` as degraded, with its offline procedure',
    sandbox: true,
    target: true,
    run: async (ctx, args) => {
      const item = await catalogueItem(ctx, String(args.code));
      const degraded = item?.degraded as { offlineProcedure?: string } | undefined;
      const shown = !!degraded?.offlineProcedure;
      if (shown) ctx.figures.offlineProcedureShown = true;
      return shown;
    },
  },
};

export { SANDBOX_CONNECTOR };
