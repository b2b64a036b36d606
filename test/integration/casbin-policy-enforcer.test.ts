import { expect } from 'chai';
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';
import { CasbinPolicyEnforcer } from '../../src/adapters/driven/casbin/casbin-policy-enforcer.js';
import { KnexCasbinAdapter, type CasbinRuleRow } from '../../src/adapters/driven/casbin/knex-casbin-adapter.js';
import { RBAC_WITH_DOMAINS_MODEL } from '../../src/adapters/driven/casbin/rbac-with-domains.model.js';

const AA = 'academic-affairs';
const GS = 'graduate-school';

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

async function rows(db: TestDatabase, where: Partial<CasbinRuleRow> = {}): Promise<string[][]> {
  const found: CasbinRuleRow[] = await db.knex('casbin_rule').where(where).orderBy('id');
  return found.map((r) => [r.ptype, r.v0, r.v1, r.v2, r.v3, r.v4, r.v5]);
}

const g = (sub: string, role: string, unit: string) => ({ ptype: 'g', v0: sub, v1: role, v2: unit });

describe('CasbinPolicyEnforcer reloads (real PostgreSQL)', () => {
  let db: TestDatabase;
  let enforcer: CasbinPolicyEnforcer;
  const ask = (subject: string, unit: string, action: string, object = 'service-item') =>
    enforcer.can({ subject, unit, object, action });

  before(async () => {
    db = await createTestDatabase();
    await db
      .knex('casbin_rule')
      .insert([
        g('alice', 'it-office', '*'),
        g('bob', 'unit-service-admin', AA),
        g('bob', 'handler', AA),
        g('bob', 'auditor', '*'),
        g('carol', 'unit-service-admin', AA),
        g('dave', 'unit-service-admin', GS),
        g('frank', 'unit-service-admin', GS),
      ]);
    enforcer = await CasbinPolicyEnforcer.create(db.knex);
  });
  after(async () => {
    await db.drop();
  });

  // what the port promises (decisions, roles, holders, blank units) is the contract in test/contract/policy-enforcer.contract.ts
  it('reload() picks up added rows and drops removed ones', async () => {
    await db.knex('casbin_rule').insert(g('erin', 'president-office', '*'));
    await db
      .knex('casbin_rule')
      .where(g('frank', 'unit-service-admin', GS))
      .delete();
    expect(await ask('erin', AA, 'decide')).to.equal(false);
    expect(await ask('frank', GS, 'define')).to.equal(true);

    await enforcer.reload();
    expect(await ask('erin', AA, 'decide')).to.equal(true);
    expect(await ask('frank', GS, 'define')).to.equal(false);
    expect(await enforcer.rolesOf({ subject: 'frank' })).to.deep.equal([]);
    expect(await enforcer.holders({ role: 'president-office', unit: '*' })).to.deep.equal(['erin']);
  });

  it('keeps deciding with a complete policy while reloads run concurrently', async () => {
    const decisions = Array.from({ length: 50 }, () => ask('alice', AA, 'decide'));
    const reloads = [enforcer.reload(), enforcer.reload(), enforcer.reload()];
    const more = Array.from({ length: 50 }, () => ask('carol', AA, 'define'));
    const results = await Promise.all([...decisions, ...more]);
    await Promise.all(reloads);
    expect(results.every(Boolean)).to.equal(true);
    expect(await ask('alice', AA, 'decide')).to.equal(true);
  });
});

describe('KnexCasbinAdapter (real PostgreSQL)', () => {
  let db: TestDatabase;
  let adapter: KnexCasbinAdapter;
  let e: Enforcer;
  const model = () => newModelFromString(RBAC_WITH_DOMAINS_MODEL);

  before(async () => {
    db = await createTestDatabase();
    adapter = new KnexCasbinAdapter(db.knex);
    e = await newEnforcer(model(), adapter);
  });
  after(async () => {
    await db.drop();
  });

  it('persists addPolicy and removePolicy, padding missing fields with ""', async () => {
    await e.addPolicy('a-role', AA, 'doc', 'read');
    await e.addGroupingPolicy('ann', 'a-role', AA);
    expect(await rows(db, { v0: 'a-role' })).to.deep.equal([['p', 'a-role', AA, 'doc', 'read', '', '']]);
    expect(await rows(db, { v0: 'ann' })).to.deep.equal([['g', 'ann', 'a-role', AA, '', '', '']]);
    expect(await e.enforce('ann', AA, 'doc', 'read')).to.equal(true);
    await adapter.addPolicy('g', 'g', ['ann', 'a-role', AA]); // already stored: not an error

    await e.removePolicy('a-role', AA, 'doc', 'read');
    await e.removeGroupingPolicy('ann', 'a-role', AA);
    expect(await rows(db, { v0: 'a-role' })).to.deep.equal([]);
    expect(await rows(db, { v0: 'ann' })).to.deep.equal([]);
  });

  it('persists addPolicies and removePolicies', async () => {
    await e.addGroupingPolicies([
      ['bea', 'handler', AA],
      ['bea', 'handler', GS],
      ['bea', 'auditor', '*'],
    ]);
    expect(await rows(db, { v0: 'bea' })).to.have.length(3);
    await e.removeGroupingPolicies([
      ['bea', 'handler', AA],
      ['bea', 'auditor', '*'],
    ]);
    expect(await rows(db, { v0: 'bea' })).to.deep.equal([['g', 'bea', 'handler', GS, '', '', '']]);
  });

  it('persists updatePolicy', async () => {
    await e.addPolicy('u-role', AA, 'doc', 'read');
    await e.updatePolicy(['u-role', AA, 'doc', 'read'], ['u-role', GS, 'doc', 'write']);
    expect(await rows(db, { v0: 'u-role' })).to.deep.equal([['p', 'u-role', GS, 'doc', 'write', '', '']]);
    await e.addGroupingPolicy('cal', 'handler', AA);
    await e.updateGroupingPolicy(['cal', 'handler', AA], ['cal', 'handler', GS]);
    expect(await rows(db, { v0: 'cal' })).to.deep.equal([['g', 'cal', 'handler', GS, '', '', '']]);
  });

  it('persists removeFilteredPolicy, "" matching any value', async () => {
    await e.addGroupingPolicies([
      ['dan', 'handler', 'unit-x'],
      ['eva', 'counselor', 'unit-x'],
      ['dan', 'handler', 'unit-y'],
    ]);
    await e.removeFilteredGroupingPolicy(2, 'unit-x');
    expect(await rows(db, { v2: 'unit-x' })).to.deep.equal([]);
    expect(await rows(db, { v0: 'dan' })).to.deep.equal([['g', 'dan', 'handler', 'unit-y', '', '', '']]);

    await e.addPolicies([
      ['f-role', AA, 'doc', 'read'],
      ['f-role', GS, 'doc', 'read'],
      ['f-role', GS, 'doc', 'write'],
    ]);
    await e.removeFilteredPolicy(0, 'f-role', '', 'doc', 'read');
    expect(await rows(db, { v0: 'f-role' })).to.deep.equal([['p', 'f-role', GS, 'doc', 'write', '', '']]);
    expect(await rows(db, { ptype: 'p', v0: 'it-office', v2: 'service-item' })).to.have.length(3); // untouched
  });

  it('loadFilteredPolicy loads only the matching rows', async () => {
    await db
      .knex('casbin_rule')
      .insert([
        g('gus', 'handler', 'unit-f'),
        g('hal', 'handler', 'unit-f'),
        g('gus', 'handler', 'unit-z'),
        g('ida', 'it-office', '*'),
      ]);
    const m = model();
    const filtered = new KnexCasbinAdapter(db.knex);
    await filtered.loadFilteredPolicy(m, { g: ['', '', ['*', 'unit-f']] });
    expect(filtered.isFiltered()).to.equal(true);
    expect(m.getPolicy('p', 'p')).to.deep.equal([]); // p not named in the filter
    expect(m.getPolicy('g', 'g').filter((r) => r[2] === 'unit-z')).to.deep.equal([]);
    expect(m.getPolicy('g', 'g')).to.deep.include.members([
      ['gus', 'handler', 'unit-f'],
      ['hal', 'handler', 'unit-f'],
      ['ida', 'it-office', '*'],
    ]);
    expect(m.getPolicy('g', 'g').every((r) => r[2] === '*' || r[2] === 'unit-f')).to.equal(true);

    const unitEnforcer = await newEnforcer(model(), filtered);
    await unitEnforcer.loadFilteredPolicy({ p: [], g: ['', '', ['*', 'unit-f']] });
    expect(unitEnforcer.getModel().getPolicy('p', 'p').length).to.be.greaterThan(10);
    expect(await unitEnforcer.enforce('ida', 'unit-f', 'service-item', 'decide')).to.equal(true);
    expect(await unitEnforcer.hasGroupingPolicy('gus', 'handler', 'unit-z')).to.equal(false);
    expect((await rejection(unitEnforcer.savePolicy())).message).to.match(/filtered/i);

    await filtered.loadPolicy(model());
    expect(filtered.isFiltered()).to.equal(false);
  });

  it('savePolicy replaces everything and round-trips commas, quotes and Chinese text exactly', async () => {
    const m = model();
    const odd = [
      ['教务处, "主任"', AA, 'obj,with,commas', 'it\'s "quoted"'],
      ['role', '', '  spaced  ', '研究生院'],
    ];
    for (const rule of odd) m.addPolicy('p', 'p', rule);
    m.addPolicy('g', 'g', ['张三', '教务处, "主任"', AA]);
    await adapter.savePolicy(m);

    expect(await rows(db)).to.deep.equal([
      ['p', ...odd[0]!, '', ''],
      ['p', ...odd[1]!, '', ''],
      ['g', '张三', '教务处, "主任"', AA, '', '', ''],
    ]);
    const back = model();
    await adapter.loadPolicy(back);
    expect(back.getPolicy('p', 'p')).to.deep.equal(odd);
    expect(back.getPolicy('g', 'g')).to.deep.equal([['张三', '教务处, "主任"', AA]]);
    const reloaded = await newEnforcer(model(), adapter);
    expect(await reloaded.enforce('张三', AA, 'obj,with,commas', 'it\'s "quoted"')).to.equal(true);
  });

  it('savePolicy is atomic: a failure part-way leaves the table unchanged', async () => {
    await e.loadPolicy();
    await e.addGroupingPolicy('kim', 'handler', AA);
    const before = await rows(db);
    expect(before.length).to.be.greaterThan(3);

    // the second g rule does not fit the table (7 fields): thrown after the delete and the p inserts
    const tooWide = model();
    tooWide.addPolicy('p', 'p', ['x-role', AA, 'doc', 'read']);
    tooWide.addPolicy('g', 'g', ['lee', 'handler', AA]);
    tooWide.addPolicy('g', 'g', ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect((await rejection(adapter.savePolicy(tooWide))).message).to.match(/at most 6/);
    expect(await rows(db)).to.deep.equal(before);

    // the database refuses a NULL value in the second rule (NOT NULL violation)
    const withNull = model();
    withNull.addPolicy('p', 'p', ['x-role', AA, 'doc', 'read']);
    withNull.addPolicy('p', 'p', ['y-role', null as unknown as string, 'doc', 'read']);
    expect((await rejection(adapter.savePolicy(withNull))).code).to.equal('23502');
    expect(await rows(db)).to.deep.equal(before);
  });
});
