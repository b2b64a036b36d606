import { expect } from 'chai';
import {
  addMonths,
  isMonth,
  monthEnd,
  monthOf,
  monthStart,
  retentionOver,
} from '../../../../src/domain/audit/audit-month.js';

describe('months of the audit log (China Standard Time, UTC+8)', () => {
  it('an instant is in the month of its UTC+8 calendar date', () => {
    expect(monthOf(new Date('2026-10-31T15:59:59.999Z'))).to.equal('2026-10');
    expect(monthOf(new Date('2026-10-31T16:00:00.000Z'))).to.equal('2026-11');
    expect(monthOf(new Date('2026-12-31T16:00:00.000Z'))).to.equal('2027-01');
  });

  it('a month starts and ends at UTC+8 midnight, and months add across years', () => {
    expect(monthStart('2026-11').toISOString()).to.equal('2026-10-31T16:00:00.000Z');
    expect(monthEnd('2026-12').toISOString()).to.equal('2026-12-31T16:00:00.000Z');
    expect(addMonths('2026-11', 2)).to.equal('2027-01');
    expect(addMonths('2026-01', -1)).to.equal('2025-12');
    expect(addMonths('2026-05', -17)).to.equal('2024-12');
    expect(['2026-01', '2026-12'].every(isMonth)).to.equal(true);
    expect(['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01'].some(isMonth)).to.equal(false);
  });

  it('a month may leave once it ended more than the retention ago', () => {
    // 2026-05 ended 2026-05-31T16:00Z; six months later is 2026-11-30T16:00Z
    expect(retentionOver('2026-05', 6, new Date('2026-11-30T15:59:59Z'))).to.equal(false);
    expect(retentionOver('2026-05', 6, new Date('2026-11-30T16:00:00Z'))).to.equal(true);
    expect(retentionOver('2026-05', 7, new Date('2026-11-30T16:00:00Z'))).to.equal(false);
  });
});
