import { Args } from '@oclif/core';
import type { CalendarYearView } from '../../../src/application/calendar/working-calendar.use-case.js';
import { weekday } from '../../../src/domain/calendar/calendar-year.js';
import { BaseCommand } from '../../base-command.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Days of one month as compact ranges: '1-3 10-11 17'. */
export function dayRanges(dates: readonly string[]): string {
  const days = dates.map((d) => Number(d.slice(8)));
  const out: string[] = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    out.push(i === j ? `${days[i]}` : `${days[i]}-${days[j]}`);
    i = j + 1;
  }
  return out.join(' ');
}

export default class CalendarShow extends BaseCommand<typeof CalendarShow> {
  static override summary =
    'Show a year of the university calendar: public holidays (法定节假日), make-up working days (调休上班), and working and rest days by month.';
  static override description =
    'Due dates are counted in working days on this calendar. A year that is not entered counts weekends only.';
  static override examples = ['<%= config.bin %> calendar show 2026', '<%= config.bin %> calendar show 2026 --json'];
  static override args = { year: Args.integer({ description: 'the year, e.g. 2026', required: true }) };

  async run(): Promise<CalendarYearView> {
    const { args } = await this.parse(CalendarShow);
    const v = this.unwrap(await this.useCases.workingCalendar.show(args.year));
    this.log(
      `${v.year} calendar — ${v.source}, updated ${v.updatedAt.toISOString()}${v.updatedBy ? ` by ${v.updatedBy}` : ''}`,
    );
    if (v.data.source) this.log(`  source: ${v.data.source}`);
    this.log('Public holidays (法定节假日):');
    if (!v.data.holidays.length) this.log('  none');
    for (const h of v.data.holidays) {
      const days = v.months.flatMap((m) => m.rest).filter((d) => h.from <= d && d <= h.to).length;
      this.log(
        `  ${h.from === h.to ? h.from.padEnd(22) : `${h.from} .. ${h.to}`}  ${String(days).padStart(2)} day(s) off  ${h.name ?? ''}`.trimEnd(),
      );
    }
    this.log('Make-up working days (调休上班):');
    this.log(
      v.data.adjusted_working_days.length
        ? v.data.adjusted_working_days.map((d) => `  ${d} ${weekday(d)}`).join('\n')
        : '  none',
    );
    this.log('By month:');
    for (const m of v.months) {
      const name = MONTHS[Number(m.month.slice(5)) - 1]!;
      this.log(`  ${name}  working ${String(m.working.length).padStart(2)}: ${dayRanges(m.working)}`);
      this.log(`       rest    ${String(m.rest.length).padStart(2)}: ${dayRanges(m.rest)}`);
    }
    this.log(`${v.months.reduce((n, m) => n + m.working.length, 0)} working days in ${v.year}`);
    return v;
  }
}
