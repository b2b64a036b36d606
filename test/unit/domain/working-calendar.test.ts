import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { WorkingCalendar, type CalendarData } from '../../../src/domain/calendar/working-calendar.js';

const cn2026 = JSON.parse(
  readFileSync(new URL('../../../seeds/calendars/CN-2026.json', import.meta.url), 'utf8'),
) as CalendarData;
const cal = new WorkingCalendar([cn2026]);
const local = (iso: string) => new Date(`${iso}+08:00`);
const dueDate = (from: string, n: number) => cal.civilDate(cal.addWorkingDays(local(from), n));

describe('working calendar (CN 2026)', () => {
  it('skips weekends', () => {
    expect(dueDate('2026-11-27T10:00:00', 1), 'Friday + 1 = Monday').to.equal('2026-11-30');
    expect(dueDate('2026-11-28T10:00:00', 1), 'Saturday + 1 = Monday').to.equal('2026-11-30');
  });

  it('skips a public holiday', () => {
    expect(dueDate('2026-09-30T09:00:00', 1), 'National Day runs 1–7 Oct').to.equal('2026-10-08');
  });

  it('counts a make-up working day on a weekend (调休上班)', () => {
    expect(cal.isWorkingDay('2026-10-10')).to.equal(true);
    expect(dueDate('2026-10-09T09:00:00', 1), 'Saturday 10 Oct is a working day').to.equal('2026-10-10');
    expect(dueDate('2026-02-13T09:00:00', 1), 'Saturday 14 Feb before the Spring Festival').to.equal('2026-02-14');
    expect(dueDate('2026-02-14T09:00:00', 1), 'after the festival (15–23 Feb)').to.equal('2026-02-24');
  });

  it('is due at the end of the working day, local time, whatever the hour it started', () => {
    expect(cal.addWorkingDays(local('2026-11-26T23:30:00'), 1).toISOString()).to.equal('2026-11-27T15:59:59.999Z');
    expect(cal.addWorkingDays(local('2026-11-26T00:10:00'), 1).toISOString()).to.equal('2026-11-27T15:59:59.999Z');
  });

  it('counts 15 working days across a weekend and a holiday', () => {
    // 29, 30 Sep (2); 1–7 Oct off; 8, 9, 10 (Sat, make-up) (5); 12–16 (10); 19–23 Oct (15)
    expect(dueDate('2026-09-28T10:00:00', 15)).to.equal('2026-10-23');
  });
});
