import { expect } from 'chai';
import { WhoAmIUseCase } from '../../../src/application/auth/who-am-i.use-case.js';
import type { Organisation, Person } from '../../../src/application/ports/organisation.port.js';
import type { PolicyEnforcer, RoleAssignment } from '../../../src/application/ports/policy-enforcer.port.js';
import { value } from '../../fixtures/result.js';

const people: Person[] = [
  { id: 'T0102', name: '刘教务', type: 'staff', unit: 'academic-affairs', status: 'active', email: null },
];
const organisation = {
  person: async (id: string) => people.find((p) => p.id === id) ?? null,
} as unknown as Organisation;
const assignments: RoleAssignment[] = [
  { subject: 'T0102', role: 'handler', unit: 'academic-affairs' },
  { subject: 'T0102', role: 'auditor', unit: '*' },
];
const enforcer = {
  rolesOf: async (o: { subject: string }) => assignments.filter((a) => a.subject === o.subject),
} as unknown as PolicyEnforcer;

describe('WhoAmIUseCase (fake organisation and enforcer)', () => {
  const uc = new WhoAmIUseCase({ organisation, enforcer });

  it('is the person as the directory has them, with the roles they hold (without the subject)', async () => {
    expect(value(await uc.execute({ actor: { personId: 'T0102', requestId: 'r' } }))).to.deep.equal({
      ...people[0],
      roles: [
        { role: 'handler', unit: 'academic-affairs' },
        { role: 'auditor', unit: '*' },
      ],
    });
  });

  it('is only the roles for a signed-in person the directory no longer knows', async () => {
    expect(value(await uc.execute({ actor: { personId: 'T9999', requestId: 'r' } }))).to.deep.equal({ roles: [] });
  });
});
