import { expect } from 'chai';
import fc from 'fast-check';
import { newEnforcer, newModelFromString, type Adapter, type Enforcer, type Model } from 'casbin';
import { CasbinPolicyEnforcer } from '../../../src/adapters/driven/casbin/casbin-policy-enforcer.js';
import { PolicyIndex, type AssignmentChange } from '../../../src/adapters/driven/casbin/policy-index.js';
import { RBAC_WITH_DOMAINS_MODEL } from '../../../src/adapters/driven/casbin/rbac-with-domains.model.js';

// The compiled enforcer must decide exactly as a plain casbin Enforcer of the same model and policy:
// random p rules (some in '*'), random g rules (some in '*', roles inheriting roles, people named
// directly in p rules, chains past casbin's 10-link limit), random role changes applied one by one,
// and requests naming unknown subjects, units, objects and actions.

const NUM_RUNS = 300;
const UNITS = ['u1', 'u2', 'u3'];
const DOMAINS = [...UNITS, '*'];
const PEOPLE = ['ann', 'bob', 'cy'];
const ROLES = ['admin', 'handler', 'auditor', 'staff'];
/** Links c1 -> c2 -> ... -> c12: casbin follows ten of them and no more. */
const CHAIN = Array.from({ length: 12 }, (_, i) => `c${i + 1}`);
const NAMES = [...PEOPLE, ...ROLES, ...CHAIN];
const OBJECTS = ['item', 'audit'];
const ACTIONS = ['read', 'decide'];

/** Rules handed to casbin the way KnexCasbinAdapter does: pushed into the model, role links built by loadPolicy. */
class MemoryAdapter implements Adapter {
  constructor(
    private readonly p: string[][],
    private readonly g: string[][],
  ) {}
  async loadPolicy(model: Model): Promise<void> {
    for (const rule of this.p) model.addPolicy('p', 'p', [...rule]);
    for (const rule of this.g) model.addPolicy('g', 'g', [...rule]);
  }
  async savePolicy(): Promise<boolean> {
    return true;
  }
  async addPolicy(): Promise<void> {
    /* never written */
  }
  async removePolicy(): Promise<void> {
    /* never written */
  }
  async removeFilteredPolicy(): Promise<void> {
    /* never written */
  }
}

const name = fc.constantFrom(...NAMES);
const domain = fc.constantFrom(...DOMAINS);
const pRule = fc.tuple(
  fc.oneof(fc.constantFrom(...ROLES), name),
  domain,
  fc.constantFrom(...OBJECTS),
  fc.constantFrom(...ACTIONS),
);
const gRule = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...PEOPLE), fc.constantFrom(...ROLES), domain) },
  { weight: 1, arbitrary: fc.tuple(name, name, domain) },
);
/** Part of the chain c1..c12 in one domain entered from a person, a grant to one link, and the request probing it. */
const nearTheLimit = fc.oneof(fc.integer({ min: 9, max: 12 }), fc.integer({ min: 1, max: 12 }));
const chain = fc
  .record({ from: fc.constantFrom(...PEOPLE), length: nearTheLimit, grantAt: nearTheLimit, unit: domain })
  .map(({ from, length, grantAt, unit }) => ({
    g: [[from, 'c1', unit], ...CHAIN.slice(0, length - 1).map((c, i) => [c, CHAIN[i + 1]!, unit])],
    p: [CHAIN[grantAt - 1]!, '*', 'item', 'read'],
    probe: { subject: from, unit: unit === '*' ? 'u2' : unit, object: 'item', action: 'read' },
  }));
const request = fc.record({
  subject: fc.oneof(name, fc.constant('stranger')),
  unit: fc.constantFrom(...DOMAINS, 'u-unknown'),
  object: fc.constantFrom(...OBJECTS, 'payroll'),
  action: fc.constantFrom(...ACTIONS, 'destroy'),
});
const policy = fc.record({
  p: fc.array(pRule, { maxLength: 12 }),
  g: fc.array(gRule, { maxLength: 25 }),
  chains: fc.array(chain, { maxLength: 2 }),
  changes: fc.array(fc.record({ added: fc.boolean(), rule: gRule, pickExisting: fc.nat() }), { maxLength: 15 }),
  requests: fc.array(request, { minLength: 1, maxLength: 40 }),
});

const key = (rule: readonly string[]) => JSON.stringify(rule);

/** The g rules after the changes, applied in order as set operations (what the table holds). */
function afterChanges(initial: string[][], changes: AssignmentChange[]): string[][] {
  const rules = new Map(initial.map((r) => [key(r), r]));
  for (const c of changes) {
    const rule = [c.subject, c.role, c.unit];
    if (c.added) rules.set(key(rule), rule);
    else rules.delete(key(rule));
  }
  return [...rules.values()];
}

async function reference(p: string[][], g: string[][]): Promise<Enforcer> {
  return newEnforcer(newModelFromString(RBAC_WITH_DOMAINS_MODEL), new MemoryAdapter(p, g));
}

describe('CasbinPolicyEnforcer decides exactly as a plain casbin Enforcer (property)', function () {
  // 300 generated policies, each built twice: a bound for a loaded, shared machine, not a speed check
  this.timeout(120_000);
  it('for random policies, role changes and requests', async () => {
    await fc.assert(
      fc.asyncProperty(policy, async (w) => {
        const p = [...w.p, ...w.chains.map((c) => c.p)].map((r) => [...r]);
        const g = [...new Map([...w.g, ...w.chains.flatMap((c) => c.g)].map((r) => [key(r), [...r]])).values()];
        // removals mostly of rules that exist, so that they change something
        const changes: AssignmentChange[] = w.changes.map(({ added, rule, pickExisting }) => {
          const [subject, role, unit] = !added && g.length && pickExisting % 3 ? g[pickExisting % g.length]! : rule;
          return { added, subject: subject!, role: role!, unit: unit! };
        });

        const enforcer = new CasbinPolicyEnforcer(async () => PolicyIndex.fromRules(p, g));
        await enforcer.reload();
        enforcer.apply(changes);
        const finalG = afterChanges(g, changes);
        const casbin = await reference(p, finalG);

        for (const r of [...w.requests, ...w.chains.map((c) => c.probe)]) {
          const expected = await casbin.enforce(r.subject, r.unit, r.object, r.action);
          expect(await enforcer.can(r), JSON.stringify(r)).to.equal(expected);
        }
        for (const subject of [...NAMES, 'stranger']) {
          const expected = (await casbin.getFilteredGroupingPolicy(0, subject))
            .map(([s, role, unit]) => ({ subject: s, role, unit }))
            .sort((a, b) => (a.unit! < b.unit! ? -1 : a.unit! > b.unit! ? 1 : a.role! < b.role! ? -1 : 1));
          expect(await enforcer.rolesOf({ subject }), subject).to.deep.equal(expected);
        }
        for (const role of NAMES)
          for (const unit of DOMAINS) {
            const expected = (await casbin.getFilteredGroupingPolicy(1, role, unit)).map(([s]) => s).sort();
            expect(await enforcer.holders({ role, unit }), `${role} in ${unit}`).to.deep.equal(expected);
          }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps refusing a blank subject, unit or role instead of falling back to a default', async () => {
    const enforcer = new CasbinPolicyEnforcer(async () =>
      PolicyIndex.fromRules([['admin', '*', 'item', 'read']], [['ann', 'admin', '*']]),
    );
    await enforcer.reload();
    for (const blank of ['', '  ', undefined as unknown as string]) {
      await expectRejection(
        enforcer.can({ subject: 'ann', unit: blank, object: 'item', action: 'read' }),
        /unit must be given/,
      );
      await expectRejection(
        enforcer.can({ subject: blank, unit: 'u1', object: 'item', action: 'read' }),
        /subject must be given/,
      );
      await expectRejection(enforcer.rolesOf({ subject: blank }), /subject must be given/);
      await expectRejection(enforcer.holders({ role: blank, unit: 'u1' }), /role must be given/);
      await expectRejection(enforcer.holders({ role: 'admin', unit: blank }), /unit must be given/);
    }
    expect(await enforcer.can({ subject: 'ann', unit: 'u1', object: 'item', action: 'read' })).to.equal(true);
  });

  it('replays onto a reload the changes applied while it read the table, and refuses to decide before the first load', async () => {
    let release!: (index: PolicyIndex) => void;
    const enforcer = new CasbinPolicyEnforcer(
      () =>
        new Promise((resolve) => {
          release = resolve;
        }),
    );
    const request = { subject: 'ann', unit: 'u1', object: 'item', action: 'read' };
    await expectRejection(enforcer.can(request), /not loaded/);
    const loading = enforcer.reload();
    enforcer.apply([
      { subject: 'ann', role: 'admin', unit: 'u1', added: true },
      { subject: 'bob', role: 'admin', unit: 'u1', added: false },
    ]);
    // the snapshot predates both changes
    release(PolicyIndex.fromRules([['admin', '*', 'item', 'read']], [['bob', 'admin', 'u1']]));
    await loading;
    expect(await enforcer.can(request)).to.equal(true);
    expect(await enforcer.can({ ...request, subject: 'bob' })).to.equal(false);
    expect(await enforcer.holders({ role: 'admin', unit: 'u1' })).to.deep.equal(['ann']);
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (e) {
    expect((e as Error).message).to.match(message);
    return;
  }
  throw new Error(`expected a rejection matching ${message}`);
}
