import { expect } from 'chai';
import fc from 'fast-check';
import { newEnforcer, newModelFromString } from 'casbin';
import { CasbinPolicyEnforcer } from '../../src/adapters/driven/casbin/casbin-policy-enforcer.js';
import { KnexCasbinAdapter } from '../../src/adapters/driven/casbin/knex-casbin-adapter.js';
import { RBAC_WITH_DOMAINS_MODEL } from '../../src/adapters/driven/casbin/rbac-with-domains.model.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

// The same comparison as test/unit/casbin/policy-enforcer.property.test.ts, through the table: random
// rules (values with commas, quotes, spaces and Chinese text) stored in casbin_rule, read by the
// enforcer and by a plain casbin Enforcer over KnexCasbinAdapter.

const UNITS = ['finance', '教务处', 'a,b'];
const NAMES = ['T0001', 'T0002', 'handler', 'unit-service-admin', '主任, "副"', "it's", ' spaced '];
const OBJECTS = ['service-item', 'audit'];
const ACTIONS = ['read', 'define'];

const name = fc.constantFrom(...NAMES);
const domain = fc.constantFrom(...UNITS, '*');
const rules = fc.record({
  p: fc.uniqueArray(fc.tuple(name, domain, fc.constantFrom(...OBJECTS), fc.constantFrom(...ACTIONS)), {
    maxLength: 10,
    selector: (r) => r.join('\u0000'),
  }),
  g: fc.uniqueArray(fc.tuple(name, name, domain), { maxLength: 20, selector: (r) => r.join('\u0000') }),
});

describe('CasbinPolicyEnforcer over casbin_rule decides as a casbin Enforcer over the same table (property, real PostgreSQL)', function () {
  // generated policies written to and read from PostgreSQL: a bound for a loaded, shared machine, not a speed check
  this.timeout(180_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it('for random stored policies', async () => {
    await fc.assert(
      fc.asyncProperty(rules, async ({ p, g }) => {
        await db.knex.transaction(async (trx) => {
          await trx('casbin_rule').delete();
          const rows = [
            ...p.map(([v0, v1, v2, v3]) => ({ ptype: 'p', v0, v1, v2, v3 })),
            ...g.map(([v0, v1, v2]) => ({ ptype: 'g', v0, v1, v2 })),
          ];
          if (rows.length) await trx('casbin_rule').insert(rows);
        });
        const enforcer = await CasbinPolicyEnforcer.create(db.knex);
        const casbin = await newEnforcer(newModelFromString(RBAC_WITH_DOMAINS_MODEL), new KnexCasbinAdapter(db.knex));
        for (const subject of [...NAMES, 'T9999']) {
          for (const unit of [...UNITS, '*', 'nowhere']) {
            for (const object of OBJECTS)
              for (const action of ACTIONS) {
                const expected = await casbin.enforce(subject, unit, object, action);
                expect(
                  await enforcer.can({ subject, unit, object, action }),
                  JSON.stringify([subject, unit, object, action]),
                ).to.equal(expected);
              }
            expect(await enforcer.holders({ role: subject, unit })).to.deep.equal(
              (await casbin.getFilteredGroupingPolicy(1, subject, unit)).map(([s]) => s).sort(),
            );
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
