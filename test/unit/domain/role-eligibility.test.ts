import { expect } from 'chai';
import { roleEligibility, type Candidate } from '../../../src/domain/people/role-eligibility.js';

const staff: Candidate = { id: 'T1', type: 'staff', status: 'active' };
const cert = { course: '管理员培训', passedOn: '2026-09-01', expiresOn: '2027-08-31' };
const check = (person: Candidate, role: string, certifications = [cert], today = '2026-11-27') =>
  roleEligibility({ person, role, certifications, today });

describe('who may hold a role (Art. 6, 17)', () => {
  it('active staff may hold a handler role without a certification', () => {
    expect(check(staff, 'handler', [])).to.deep.equal([]);
  });
  it('students, and staff who left, retired or are suspended, hold no role', () => {
    expect(check({ ...staff, type: 'student' }, 'handler')).to.have.length(1);
    for (const status of ['left', 'retired', 'suspended'] as const)
      expect(check({ ...staff, status }, 'handler'), status).to.have.length(1);
  });
  it('admin roles need a certification valid today', () => {
    expect(check(staff, 'unit-service-admin')).to.deep.equal([]);
    expect(check(staff, 'it-office', [])[0]!.message).to.contain('Art. 17');
    expect(check(staff, 'unit-service-admin', [cert], '2027-09-01'), 'expired').to.have.length(1);
    expect(check(staff, 'unit-service-admin', [cert], '2026-08-31'), 'not yet passed').to.have.length(1);
    expect(check(staff, 'unit-service-admin', [cert], '2027-08-31'), 'last valid day').to.deep.equal([]);
  });
  it('gives every reason at once', () => {
    expect(check({ id: 'S1', type: 'student', status: 'left' }, 'it-office', [])).to.have.length(3);
  });
});
