import { CasbinPolicyEnforcer } from '../../src/adapters/driven/casbin/casbin-policy-enforcer.js';
import { FakePolicyEnforcer } from '../fakes/fake-policy-enforcer.js';
import { policyEnforcerContract } from './policy-enforcer.contract.js';
import { fakeSide, realSide } from './sides.js';

policyEnforcerContract('FakePolicyEnforcer, InMemoryRoleAssignments', async () => {
  const side = fakeSide();
  return { ...side, enforcer: new FakePolicyEnforcer({ source: () => side.db.state.roleAssignments }) };
});

policyEnforcerContract('CasbinPolicyEnforcer, KnexRoleAssignments (real PostgreSQL)', async () => {
  const side = await realSide();
  return { ...side, enforcer: await CasbinPolicyEnforcer.create(side.knex) };
});
