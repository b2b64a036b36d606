import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import pino from 'pino';
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { startEmbeddedDatabase } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import { createKnex } from '../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../src/adapters/driven/knex/migration-source.js';
import { KnexCasbinAdapter } from '../src/adapters/driven/casbin/knex-casbin-adapter.js';
import { KnexRoleAssignments } from '../src/adapters/driven/casbin/knex-role-assignments.js';
import { startLivePolicy } from '../src/adapters/driven/casbin/live-policy.js';
import { RBAC_WITH_DOMAINS_MODEL } from '../src/adapters/driven/casbin/rbac-with-domains.model.js';
import type { RoleAssignment } from '../src/application/ports/policy-enforcer.port.js';
import { percentile } from './measure.js';

const ASSIGNMENTS = Number(process.env.BENCH_ASSIGNMENTS ?? 50_000);
const UNITS = Number(process.env.BENCH_UNITS ?? 100);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const PROPAGATIONS = Number(process.env.BENCH_PROPAGATIONS ?? 21);
const GLOBAL_ROLES = ['president-office', 'it-office', 'auditor'];
/** The migrations' unit roles and enough others to make ~20 roles. */
const UNIT_ROLES = [
  'unit-service-admin',
  'handler',
  'department-head',
  'counselor',
  'college-deputy-secretary',
  'college-secretary',
  ...Array.from({ length: 11 }, (_, i) => `bench-role-${i + 1}`),
];
const log = (m: string) => process.stderr.write(`[casbin] ${m}\n`);

type Request = { subject: string; unit: string; object: string; action: string };

/**
 * The policy enforcer at university scale: ASSIGNMENTS role assignments across UNITS units and
 * ~20 roles plus the migrations' `p` rules, on an embedded PostgreSQL. Decisions (a mix of allowed
 * and denied requests), rolesOf, holders and a full reload are timed for the enforcer and, in the
 * same run, for the approach it replaced (a plain casbin Enforcer), together with how long a grant
 * or a revoke committed on instance A takes to decide requests on instance B.
 */
export async function runCasbinBench(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-'));
  await chmod(dataDir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir });
  const pools: Knex[] = [];
  const watchers: Array<{ stop(): Promise<void> }> = [];
  try {
    const knexA = createKnex(db.url, 4);
    const knexB = createKnex(db.url, 4);
    pools.push(knexA, knexB);
    await migrateLatest(knexA);
    const random = seeded(20261130);
    const assignments = population(random);
    log(`storing ${assignments.length} assignments`);
    for (let i = 0; i < assignments.length; i += 1000) {
      await knexA('casbin_rule').insert(
        assignments.slice(i, i + 1000).map((a) => ({ ptype: 'g', v0: a.subject, v1: a.role, v2: a.unit })),
      );
    }
    const pRules = (await knexA('casbin_rule').where({ ptype: 'p' }).select('v0', 'v1', 'v2', 'v3')) as Array<{
      v0: string;
      v1: string;
      v2: string;
      v3: string;
    }>;
    const requests = requestMix(random, assignments, pRules);

    log('starting two instances');
    const a = await startLivePolicy({ knex: knexA, databaseUrl: db.url, logger: pino({ level: 'silent' }) });
    watchers.push(a.watcher);
    const b = await startLivePolicy({ knex: knexB, databaseUrl: db.url, logger: pino({ level: 'silent' }) });
    watchers.push(b.watcher);
    const reloads = await timesMs(3, () => a.enforcer.reload());

    log('loading the baseline (a plain casbin Enforcer)');
    let plain: Enforcer | undefined;
    const baselineLoads = await timesMs(3, async () => {
      plain = await newEnforcer(newModelFromString(RBAC_WITH_DOMAINS_MODEL), new KnexCasbinAdapter(knexA));
    });
    const baseline = plain!;

    log(`timing ${requests.length} decisions each`);
    const decide = (r: Request) => a.enforcer.can(r);
    const decideBaseline = (r: Request) => baseline.enforce(r.subject, r.unit, r.object, r.action);
    await eachTimedUs(requests.slice(0, 2000), decide);
    await eachTimedUs(requests.slice(0, 500), decideBaseline);
    const decisions = await eachTimedUs(requests, decide);
    const baselineDecisions = await eachTimedUs(requests, decideBaseline);
    let mismatches = 0;
    requests.forEach((_, i) => {
      if (decisions.results[i] !== baselineDecisions.results[i]) mismatches++;
    });

    const subjects = requests.slice(0, 5000).map((r) => ({ subject: r.subject }));
    const roleUnits = assignments.slice(0, 5000).map(({ role, unit }) => ({ role, unit }));
    const rolesOf = await eachTimedUs(subjects, (q) => a.enforcer.rolesOf(q));
    const holders = await eachTimedUs(roleUnits, (q) => a.enforcer.holders(q));
    const baselineRolesOf = await eachTimedUs(subjects.slice(0, 500), (q) =>
      baseline.getFilteredGroupingPolicy(0, q.subject),
    );
    const baselineHolders = await eachTimedUs(roleUnits.slice(0, 500), (q) =>
      baseline.getFilteredGroupingPolicy(1, q.role, q.unit),
    );

    log(`propagating ${PROPAGATIONS} grants and revokes from A to B`);
    const grants: number[] = [];
    const revokes: number[] = [];
    const ownRefreshes: number[] = [];
    for (let i = 0; i < PROPAGATIONS; i++) {
      const change: RoleAssignment = {
        subject: `N${String(i).padStart(5, '0')}`,
        role: 'unit-service-admin',
        unit: unitKey(i % UNITS),
      };
      const request = { subject: change.subject, unit: change.unit, object: 'service-item', action: 'define' };
      grants.push(
        await propagationMs(
          knexA,
          (r) => r.grant(change),
          () => b.enforcer.can(request),
        ),
      );
      revokes.push(
        await propagationMs(
          knexA,
          (r) => r.revoke(change),
          async () => !(await b.enforcer.can(request)),
        ),
      );
      // on the instance that made the change: refresh() after commit, as the use cases' after-commit hook does
      const own = { ...request, subject: `M${String(i).padStart(5, '0')}` };
      await knexA.transaction((trx) => new KnexRoleAssignments(trx).grant({ ...change, subject: own.subject }));
      const committed = performance.now();
      await a.enforcer.refresh();
      ownRefreshes.push(performance.now() - committed);
      if (!(await a.enforcer.can(own)))
        throw new Error('instance A does not decide with its own grant after refresh()');
    }

    const allowed = decisions.results.filter(Boolean).length;
    return {
      bench: 'casbin',
      assignments: assignments.length,
      units: UNITS,
      roles: GLOBAL_ROLES.length + UNIT_ROLES.length,
      p_rules: pRules.length,
      requests: requests.length,
      allowed_share: round(allowed / requests.length, 3),
      decision_mismatches: mismatches,
      decision_p50_us: round(percentile(decisions.us, 50)),
      decision_p99_us: round(percentile(decisions.us, 99)),
      roles_of_p50_us: round(percentile(rolesOf.us, 50)),
      holders_p50_us: round(percentile(holders.us, 50)),
      full_reload_ms: round(percentile(reloads, 50)),
      grant_propagation_ms: round(percentile(grants, 50)),
      grant_propagation_max_ms: round(Math.max(...grants)),
      revoke_propagation_ms: round(percentile(revokes, 50)),
      revoke_propagation_max_ms: round(Math.max(...revokes)),
      own_change_refresh_ms: round(percentile(ownRefreshes, 50)),
      baseline_decision_p50_us: round(percentile(baselineDecisions.us, 50)),
      baseline_decision_p99_us: round(percentile(baselineDecisions.us, 99)),
      baseline_roles_of_p50_us: round(percentile(baselineRolesOf.us, 50)),
      baseline_holders_p50_us: round(percentile(baselineHolders.us, 50)),
      baseline_full_reload_ms: round(percentile(baselineLoads, 50)),
    };
  } finally {
    for (const w of watchers) await w.stop();
    for (const k of pools) await k.destroy();
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** People holding 1-3 roles each, a few global; every (person, role, unit) once. */
function population(random: () => number): RoleAssignment[] {
  const seen = new Set<string>();
  const out: RoleAssignment[] = [];
  for (let person = 0; out.length < ASSIGNMENTS; person++) {
    const subject = `P${String(person).padStart(6, '0')}`;
    const home = unitKey(Math.floor(random() * UNITS));
    for (let k = 1 + Math.floor(random() * 3); k > 0 && out.length < ASSIGNMENTS; k--) {
      const global = random() < 0.01;
      const a = global
        ? { subject, role: pick(random, GLOBAL_ROLES), unit: '*' }
        : {
            subject,
            role: pick(random, UNIT_ROLES),
            unit: random() < 0.8 ? home : unitKey(Math.floor(random() * UNITS)),
          };
      const key = `${a.subject}|${a.role}|${a.unit}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(a);
      }
    }
  }
  return out;
}

/**
 * Half the requests are for something a held role permits (in the role's unit, anywhere for a global
 * role); the others change the unit, the permission or the person, and are mostly denied.
 */
function requestMix(
  random: () => number,
  assignments: RoleAssignment[],
  pRules: Array<{ v0: string; v2: string; v3: string }>,
): Request[] {
  const permitted = new Map<string, Array<{ object: string; action: string }>>();
  for (const p of pRules)
    (permitted.get(p.v0) ?? permitted.set(p.v0, []).get(p.v0)!).push({ object: p.v2, action: p.v3 });
  const withPermissions = assignments.filter((a) => permitted.has(a.role));
  const all = pRules.map((p) => ({ object: p.v2, action: p.v3 }));
  return Array.from({ length: REQUESTS }, (_, i) => {
    const a = pick(random, withPermissions);
    const unit = a.unit === '*' ? unitKey(Math.floor(random() * UNITS)) : a.unit;
    const perm = pick(random, permitted.get(a.role)!);
    if (i % 2 === 0) return { subject: a.subject, unit, ...perm };
    const variant = random();
    if (variant < 0.4) return { subject: a.subject, unit: unitKey((Number(unit.slice(5)) + 1) % UNITS), ...perm };
    if (variant < 0.8) return { subject: a.subject, unit, ...pick(random, all) };
    return { subject: `X${Math.floor(random() * 1e6)}`, unit, ...perm };
  });
}

/**
 * From the COMMIT of a change on instance A until instance B decides with it. Timed from sending
 * COMMIT, not from its reply: B often hears of the change before A's client has the reply.
 */
async function propagationMs(
  knexA: Knex,
  change: (r: KnexRoleAssignments) => Promise<boolean>,
  seenOnB: () => Promise<boolean>,
): Promise<number> {
  const trx = await knexA.transaction();
  if (!(await change(new KnexRoleAssignments(trx)))) throw new Error('the change changed nothing');
  const committing = performance.now();
  await trx.commit();
  await until(seenOnB);
  return performance.now() - committing;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > 10_000) throw new Error('not propagated within 10 s');
    await new Promise((r) => setImmediate(r));
  }
}

async function eachTimedUs<Q, R>(queries: Q[], run: (q: Q) => Promise<R>): Promise<{ us: number[]; results: R[] }> {
  const us: number[] = [];
  const results: R[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    results.push(await run(q));
    us.push((performance.now() - t0) * 1000);
  }
  return { us, results };
}

async function timesMs(n: number, run: () => Promise<void>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return ms;
}

const unitKey = (i: number) => `unit-${String(i).padStart(3, '0')}`;
const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** mulberry32: the same population and requests every run. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
