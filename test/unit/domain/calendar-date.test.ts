import { expect } from 'chai';
import { isCalendarDate } from '../../../src/domain/shared/calendar-date.js';

describe('isCalendarDate', () => {
  it('takes the dates of the calendar, leap days included', () => {
    for (const d of ['2026-11-30', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])
      expect(isCalendarDate(d), d).to.equal(true);
  });

  it('refuses what only looks like one: month 13, day 0 or 32, 29 February of a common year, year 0, other shapes', () => {
    for (const d of ['6021-97-15', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32', '2026-02-29', '1900-02-29'])
      expect(isCalendarDate(d), d).to.equal(false);
    for (const d of ['0000-01-01', '2026-1-01', '20261130', '2026-11-30T00:00:00Z', ' 2026-11-30', ''])
      expect(isCalendarDate(d), d).to.equal(false);
  });
});
