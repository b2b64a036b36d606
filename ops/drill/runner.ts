import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  drillVerdict,
  type DrillFigures,
  type DrillReport,
  type ProbeOutcome,
} from '../../src/domain/drill/drill-report.js';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import type { Activity, Experiment } from './experiment.js';
import { DRILL_FUNCTIONS, eventually, type DrillContext } from './functions.js';
import { HallClient } from './hall-client.js';
import { SteadyLoad, type Case } from './load.js';
import { Sandbox } from './sandbox.js';

export interface DrillOptions {
  scenario: string;
  experiment: Experiment;
  mode: 'sandbox' | 'target';
  /** target mode: the deployment */
  target?: { url: string; databaseUrl: string; password: string };
  /** Progress lines for the operator. */
  log?: (line: string) => void;
}

/** Why each activity of an experiment cannot run in a mode, or nothing when all can. */
export function unavailableIn(exp: Experiment, mode: 'sandbox' | 'target'): string[] {
  const all = [
    ...exp['steady-state-hypothesis'].probes,
    exp.detection,
    ...(exp.during ?? []),
    ...exp.method,
    ...exp.rollbacks,
  ];
  const out: string[] = [];
  for (const a of all) {
    const f = DRILL_FUNCTIONS[a.provider.func];
    if (!f) out.push(`${a.name}: no drill function '${a.provider.func}'`);
    else if (f[mode] !== true) out.push(`${a.name} (${a.provider.func}): ${f[mode]}`);
  }
  return [...new Set(out)];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (from: number, to: number) => Math.round((to - from) / 100) / 10;

/**
 * Runs one drill: the steady state checked, a steady load started, the method's faults injected
 * (the hall's detection polled meanwhile), the rollbacks run (always, whatever failed), recovery
 * awaited, the load stopped, the steady state checked again, and what the hall acknowledged
 * compared with what the database holds. Returns the report; never throws for a fault the hall
 * did not survive — that is a failed verdict.
 */
export async function runDrill(o: DrillOptions): Promise<DrillReport> {
  const exp = o.experiment;
  const log = o.log ?? (() => undefined);
  const startedAt = new Date();
  const timeline: DrillReport['timeline'] = [];
  const note = (event: string) => {
    timeline.push({ at: new Date().toISOString(), event });
    log(event);
  };
  const errors: string[] = [];
  const hypothesis: DrillReport['hypothesis'] = { title: exp['steady-state-hypothesis'].title, before: [], after: [] };
  const report = (figures: DrillFigures | null): DrillReport => ({
    id: randomUUID(),
    scenario: o.scenario,
    title: exp.title,
    mode: o.mode,
    runBy: '',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    hypothesis,
    timeline,
    figures,
    ...drillVerdict(hypothesis, figures, errors),
  });

  const missing = unavailableIn(exp, o.mode);
  if (missing.length) {
    errors.push(...missing.map((m) => `cannot run in ${o.mode} mode: ${m}`));
    hypothesis.before.push({ name: 'runnable', ok: false, detail: missing.join('; ') });
    return report(null);
  }

  let sandbox: Sandbox | undefined;
  let db: pg.Pool | undefined;
  try {
    if (o.mode === 'sandbox') {
      note('sandbox starting');
      sandbox = await Sandbox.start({ log: (l) => log(`  ${l}`) });
      note('sandbox ready');
    }
    const base = sandbox ? sandbox.apiBase : o.target!.url;
    const databaseUrl = sandbox ? sandbox.databaseUrl : o.target!.databaseUrl;
    const password = sandbox ? DEMO_PASSWORD : o.target!.password;
    db = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 2000 });
    db.on('error', () => undefined); // a restarted server ends the observer's connections too
    const client = new HallClient(base, password);
    const itemCase = await caseFor(client, exp.configuration.item);
    const ctx: DrillContext = {
      mode: o.mode,
      runId: startedAt.getTime().toString(36),
      client,
      db,
      databaseUrl,
      sandbox,
      case: itemCase,
      ack: { applications: new Map(), approvals: new Set() },
      note,
      figures: {},
      subjects: { reminderTasks: [], reminderJobs: [], transferApplications: [], startedAt },
    };

    const probe = async (a: Activity): Promise<ProbeOutcome> => {
      try {
        const held = await DRILL_FUNCTIONS[a.provider.func]!.run(ctx, a.provider.arguments ?? {});
        return { name: a.name, ok: held !== false };
      } catch (e) {
        return { name: a.name, ok: false, detail: e instanceof Error ? e.message.slice(0, 300) : String(e) };
      }
    };
    const act = async (a: Activity) => {
      if (a.pauses?.before) await sleep(a.pauses.before * 1000);
      note(`${a.type} ${a.name}`);
      await DRILL_FUNCTIONS[a.provider.func]!.run(ctx, a.provider.arguments ?? {});
      if (a.pauses?.after) await sleep(a.pauses.after * 1000);
    };

    for (const p of exp['steady-state-hypothesis'].probes) hypothesis.before.push(await probe(p));
    note(`steady state before: ${hypothesis.before.every((p) => p.ok) ? 'holds' : 'does not hold'}`);
    if (!hypothesis.before.every((p) => p.ok)) return report(null);

    const load = new SteadyLoad(client, itemCase, ctx.runId, {
      users: exp.configuration.users,
      caseTimeoutMs: (exp.configuration.recoveryTimeoutSeconds + 60) * 1000,
      pauseMs: 100,
    });
    ctx.ack = load.ack;
    load.start();
    note(`load started: ${exp.configuration.users} portal(s) working ${itemCase.item.code} cases`);
    await sleep(exp.configuration.warmupSeconds * 1000);

    // the method: the first action marked as the fault (or the first action) starts the clock
    const faultIndex = Math.max(
      0,
      exp.method.findIndex((a) => a.fault),
    );
    let faultAt = 0;
    let detectedAt: number | null = null;
    let detecting: Promise<void> = Promise.resolve();
    let during: Promise<void> = Promise.resolve();
    let detectionDone = false;
    let restoredAt = 0;
    try {
      for (const [i, a] of exp.method.entries()) {
        if (i === faultIndex) {
          faultAt = Date.now();
          await DRILL_FUNCTIONS[a.provider.func]!.run(ctx, a.provider.arguments ?? {});
          note(`fault injected: ${a.name}`);
          detecting = (async () => {
            const seen = await eventually(
              async () => detectionDone || (await probe(exp.detection)).ok,
              (exp.configuration.recoveryTimeoutSeconds + 600) * 1000,
              200,
            );
            if (seen && !detectionDone) {
              detectedAt ??= Date.now();
              note(`detected: ${exp.detection.name}`);
              during = (async () => {
                for (const p of exp.during ?? []) {
                  const r = await probe(p);
                  note(
                    `during the fault: ${p.name} ${r.ok ? 'held' : `did not hold${r.detail ? ` (${r.detail})` : ''}`}`,
                  );
                }
              })();
            }
          })();
          if (a.pauses?.after) await sleep(a.pauses.after * 1000);
        } else await act(a);
      }
      // a fault the hall is slow to notice (a breaker needs its failures) holds until it does, within a bound
      const bound = exp.configuration.holdFaultUntilDetectedSeconds;
      if (bound && detectedAt === null) await Promise.race([detecting, sleep(bound * 1000)]);
    } catch (e) {
      errors.push(`method: ${e instanceof Error ? e.message : String(e)}`);
      note(`method failed: ${errors.at(-1)}`);
    } finally {
      restoredAt = Date.now();
      for (const a of exp.rollbacks) {
        try {
          await act(a);
        } catch (e) {
          errors.push(`rollback ${a.name}: ${e instanceof Error ? e.message : String(e)}`);
          note(`rollback failed: ${errors.at(-1)}`);
        }
      }
      note('fault ended');
    }
    const recoveredAt = await recovery(ctx, exp.configuration.recoveryTimeoutSeconds * 1000, async () => {
      for (const p of exp.recovery) if (!(await probe(p)).ok) return false;
      return true;
    });
    // detection that has not happened by recovery did not happen
    detectionDone = true;
    await detecting;
    await during;
    note(recoveredAt ? 'recovered: ready, and a round trip works' : 'did not recover in time');
    await sleep(exp.configuration.cooldownSeconds * 1000);
    await load.stop();
    note(`load stopped: ${load.completed} case(s) completed, ${load.unfinished} unfinished`);
    for (const e of load.errors.slice(0, 3)) note(`a case did not finish: ${e}`);

    for (const p of exp['steady-state-hypothesis'].probes) hypothesis.after.push(await probe(p));
    note(`steady state after: ${hypothesis.after.every((p) => p.ok) ? 'holds' : 'does not hold'}`);

    const during$ = client.calls.filter((c) => c.at >= faultAt && c.at <= (recoveredAt ?? Date.now()));
    const answers: Record<string, number> = {};
    for (const c of during$) answers[String(c.status)] = (answers[String(c.status)] ?? 0) + 1;
    const figures: DrillFigures = {
      detectSeconds: detectedAt === null ? null : seconds(faultAt, detectedAt),
      recoverySeconds: recoveredAt === null ? null : seconds(restoredAt, recoveredAt),
      faultSeconds: seconds(faultAt, restoredAt),
      ...(await workLost(ctx)),
      acknowledged: { applications: ctx.ack.applications.size, approvals: ctx.ack.approvals.size },
      cases: { completed: load.completed, unfinished: load.unfinished },
      answersDuringFault: answers,
      retryAfterGiven: during$.filter((c) => c.status === 503 && c.retryAfter).length,
      slowestMs: Math.max(0, ...client.calls.filter((c) => typeof c.status === 'number').map((c) => c.ms)),
      hungRequests: client.calls.filter((c) => c.status === 'timeout').length,
      serverErrors: client.calls.filter((c) => typeof c.status === 'number' && c.status >= 500 && c.status !== 503)
        .length,
      extra: {},
    };
    for (const c of client.calls.filter((c) => typeof c.status === 'number' && c.status >= 500 && c.status !== 503))
      note(
        `${c.op} answered ${c.status} at ${new Date(c.at).toISOString()} (${c.problem ?? 'no problem body'})${logLine(sandbox, c.problem)}`,
      );
    for (const m of exp.measures) Object.assign(figures.extra, await MEASURES[m](ctx));
    for (const key of ['remindersLost', 'remindersSentTwice'] as const) {
      const v = figures.extra[key];
      if (typeof v === 'number') figures[key] = v;
      delete figures.extra[key];
    }
    for (const [k, v] of Object.entries(ctx.figures)) if (k !== 'heldJobIds') figures.extra[k] = v;
    return report(figures);
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
    note(`the drill stopped: ${errors.at(-1)}`);
    if (sandbox) errors.push(`sandbox output (last lines):\n${sandbox.output().split('\n').slice(-30).join('\n')}`);
    return report(null);
  } finally {
    await db?.end().catch(() => undefined);
    if (sandbox) {
      await sandbox.dispose().catch(() => undefined);
      note('sandbox removed');
    }
  }
}

/** The sandbox's log line of a request (by its id), to say why it failed. */
function logLine(sandbox: Sandbox | undefined, problem: string | undefined): string {
  const requestId = problem?.split(' ')[1];
  const line =
    requestId &&
    sandbox
      ?.output()
      .split('\n')
      .find((l) => l.includes(requestId));
  return line ? `: ${line.slice(0, 1500)}` : '';
}

/** The demo accounts the load works as, for the item the experiment names. */
async function caseFor(client: HallClient, code: string): Promise<Case> {
  const people: Record<string, { applicant: string; handler: string; form: Case['form'] }> = {
    'JW-ZDZM': {
      applicant: 'student-xx',
      handler: 'jw-handler',
      form: (purpose) => ({ purpose, copies: 1, language: 'zh' }),
    },
  };
  const who = people[code];
  if (!who) throw new Error(`the drill's load knows how to work ${Object.keys(people).join(', ')}, not ${code}`);
  const cat = await client.as(who.applicant, 'catalogue', 'GET', '/api/v1/catalogue');
  const item = (cat.body.items as Array<{ code: string; id: string }> | undefined)?.find((i) => i.code === code);
  if (!item) throw new Error(`the catalogue has no ${code} (${cat.status})`);
  return { item, ...who };
}

/** When the hall is back: ready, a round trip (no retries) completes, and the experiment's recovery probes hold. */
async function recovery(ctx: DrillContext, ms: number, more: () => Promise<boolean>): Promise<number | null> {
  const ok = await eventually(
    async () =>
      (await DRILL_FUNCTIONS.ready!.run(ctx, {})) !== false &&
      (await DRILL_FUNCTIONS['round-trip']!.run(ctx, {})) !== false &&
      (await more()),
    ms,
    500,
  );
  return ok ? Date.now() : null;
}

/** RPO: what the hall acknowledged and the database does not hold; submissions stored twice. */
async function workLost(
  ctx: DrillContext,
): Promise<
  Pick<DrillFigures, 'committedActionsLost' | 'duplicateSubmissions' | 'remindersLost' | 'remindersSentTwice'>
> {
  const applications = [...ctx.ack.applications.values()];
  const approvals = [...ctx.ack.approvals];
  const found = await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM applications WHERE id = ANY($1::uuid[])`, [
    applications,
  ]);
  const done = await ctx.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM tasks WHERE id = ANY($1::uuid[]) AND status = 'done'`,
    [approvals],
  );
  const twice = await ctx.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT form->>'purpose' FROM applications WHERE form->>'purpose' LIKE $1 GROUP BY 1 HAVING count(*) > 1) d`,
    [`drill:${ctx.runId}:%`],
  );
  return {
    committedActionsLost: applications.length - Number(found.rows[0]!.n) + (approvals.length - Number(done.rows[0]!.n)),
    duplicateSubmissions: Number(twice.rows[0]!.n),
    remindersLost: null,
    remindersSentTwice: null,
  };
}

type Measure = (ctx: DrillContext) => Promise<Record<string, number | string | boolean | null>>;
const MEASURES: Record<Experiment['measures'][number], Measure> = {
  /** Every reminder made due notified someone, once: by the audit entry each sending writes, and the notifications. */
  reminders: async (ctx) => {
    const tasks = ctx.subjects.reminderTasks;
    // every timer made due ends: sent (completed), or given up on (failed) — a held one after its expiry and retry delay
    const armed = async () =>
      (
        await ctx.db.query<{ task: string; kind: string; state: string }>(
          `SELECT data->>'taskId' AS task, data->>'kind' AS kind, state FROM pgboss.job WHERE id = ANY($1::uuid[])`,
          [ctx.subjects.reminderJobs],
        )
      ).rows;
    const drained = await eventually(
      async () => (await armed()).every((j) => !['created', 'retry', 'active'].includes(j.state)),
      120_000,
      500,
    );
    const jobs = await armed();
    const sent = await ctx.db.query<{ task: string; kind: string; n: string }>(
      `SELECT entity_id AS task, after->>'kind' AS kind, count(*) AS n FROM audit_log
        WHERE action IN ('task.reminded', 'task.overdue-escalated') AND entity_id = ANY($1) GROUP BY 1, 2`,
      [tasks],
    );
    const twiceToOne = await ctx.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM notifications WHERE task_id = ANY($1::uuid[]) GROUP BY recipient_id, task_id, kind HAVING count(*) > 1) d`,
      [tasks],
    );
    const sentBy = new Map(sent.rows.map((r) => [`${r.task}|${r.kind}`, Number(r.n)]));
    return {
      remindersDue: jobs.length,
      remindersDrained: drained,
      remindersLost: jobs.filter((j) => !sentBy.get(`${j.task}|${j.kind}`)).length,
      remindersSentTwice: [...sentBy.values()].filter((n) => n > 1).length + Number(twiceToOne.rows[0]!.n),
    };
  },
  /** Every case sent to the business system was taken by it, once. */
  'connector-deliveries': async (ctx) => {
    const apps = ctx.subjects.transferApplications;
    const jobs = async () =>
      (
        await ctx.db.query<{ id: string; state: string }>(
          `SELECT id, state FROM pgboss.job WHERE name = 'connector-call' AND data->>'applicationId' = ANY($1)`,
          [apps],
        )
      ).rows;
    const t0 = Date.now();
    await eventually(async () => (await jobs()).every((j) => j.state === 'completed'), 240_000, 1000);
    const rows = await jobs();
    const taken = ctx.sandbox!.businessSystem.taken;
    return {
      casesSent: apps.length,
      deliverySeconds: seconds(t0, Date.now()),
      deliveriesLost: rows.filter((j) => !taken.has(j.id)).length + (apps.length - rows.length),
      deliveriesTakenTwice: rows.filter((j) => (taken.get(j.id) ?? 0) > 1).length,
    };
  },
  /**
   * Every event since the drill began reached the data platform. Delivery is at least once under a
   * stable CloudEvent id: a batch the sink took just before the database went away is sent again
   * (its cursor commit was lost), so redeliveries are counted, not failed; a lost event fails.
   */
  events: async (ctx) => {
    const taken = ctx.sandbox!.dataPlatform.taken;
    const ids = async () =>
      (
        await ctx.db.query<{ id: string }>(`SELECT id FROM outbox WHERE occurred_at >= $1`, [ctx.subjects.startedAt])
      ).rows.map((r) => r.id);
    await eventually(async () => (await ids()).every((id) => taken.has(id)), 120_000, 1000);
    const all = await ids();
    return {
      eventsWritten: all.length,
      eventsLost: all.filter((id) => !taken.has(id)).length,
      eventsRedelivered: all.filter((id) => (taken.get(id) ?? 0) > 1).length,
    };
  },
  // counted by the sign-ins probe while the directory is down; zero when it never ran
  'sign-ins': async (ctx) => ({
    casSignInsRefused: Number(ctx.figures.casSignInsRefused ?? 0),
    passwordSignInsOk: Number(ctx.figures.passwordSignInsOk ?? 0),
    sessionsOk: Number(ctx.figures.sessionsOk ?? 0),
  }),
};
