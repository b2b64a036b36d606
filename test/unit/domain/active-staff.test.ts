import { expect } from 'chai';
import { isActiveStaff, notActiveStaff, type Candidate } from '../../../src/domain/people/active-staff.js';

const staff: Candidate = { id: 'T1', type: 'staff', status: 'active' };

describe('who may handle a task (active staff, Art. 6)', () => {
  it('active staff may; students and people who left, retired or are suspended may not', () => {
    expect(isActiveStaff(staff)).to.equal(true);
    expect(notActiveStaff(staff)).to.deep.equal([]);
    expect(isActiveStaff({ ...staff, type: 'student' })).to.equal(false);
    for (const status of ['left', 'retired', 'suspended'] as const) {
      expect(isActiveStaff({ ...staff, status }), status).to.equal(false);
      expect(notActiveStaff({ ...staff, status })).to.deep.equal([`T1 is ${status}, not active`]);
    }
  });
  it('names every reason', () => {
    expect(notActiveStaff({ id: 'S1', type: 'student', status: 'left' })).to.deep.equal([
      'S1 is not staff',
      'S1 is left, not active',
    ]);
  });
});
