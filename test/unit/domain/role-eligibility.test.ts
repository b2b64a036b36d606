import { expect } from 'chai';
import {
  addDays,
  certifiedThrough,
  daysBetween,
  roleEligibility,
  type Candidate,
} from '../../../src/domain/people/role-eligibility.js';

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

describe('how long certifications cover an admin role (Art. 17)', () => {
  const c = (passedOn: string, expiresOn: string) => ({ course: '管理员培训', passedOn, expiresOn });
  it('to the latest expiry of those valid today; none valid today: null', () => {
    expect(certifiedThrough([c('2026-01-01', '2026-12-31'), c('2026-06-01', '2027-05-31')], '2026-11-27')).to.equal(
      '2027-05-31',
    );
    expect(certifiedThrough([c('2025-01-01', '2026-11-26')], '2026-11-27')).to.equal(null);
    expect(certifiedThrough([c('2025-01-01', '2026-11-27')], '2026-11-27')).to.equal('2026-11-27');
    expect(certifiedThrough([], '2026-11-27')).to.equal(null);
    // one passed but not yet begun covers nothing today
    expect(certifiedThrough([c('2026-11-28', '2027-11-27')], '2026-11-27')).to.equal(null);
  });
  it('extended by one that begins by the day after, but not across a gap', () => {
    const now = c('2026-01-01', '2026-12-31');
    expect(certifiedThrough([now, c('2027-01-01', '2027-12-31')], '2026-11-27')).to.equal('2027-12-31');
    expect(certifiedThrough([now, c('2027-01-02', '2027-12-31')], '2026-11-27')).to.equal('2026-12-31');
  });
  it('counts days between civil dates, across months and leap days', () => {
    expect(daysBetween('2026-11-27', '2026-12-27')).to.equal(30);
    expect(daysBetween('2026-11-27', '2026-11-26')).to.equal(-1);
    expect(daysBetween('2028-02-28', '2028-03-01')).to.equal(2);
    expect(addDays('2028-02-28', 1)).to.equal('2028-02-29');
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
  });
});
