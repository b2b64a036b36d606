import { Args } from '@oclif/core';
import type { CalendarYearView } from '../../../src/application/calendar/working-calendar.use-case.js';
import { weekday } from '../../../src/domain/calendar/calendar-year.js';
import { BaseCommand } from '../../base-command.js';

export default class CalendarWorkday extends BaseCommand<typeof CalendarWorkday> {
  static override summary = 'Make a Saturday or Sunday a make-up working day (调休上班) in the university calendar.';
  static override description =
    'Only a weekend day can be one (any other day already is a working day), and not one inside a holiday. IT Office only; audited.';
  static override examples = ['<%= config.bin %> calendar workday 2026 2026-10-10 --operator T0002'];
  static override args = {
    year: Args.integer({ description: 'the year, e.g. 2026', required: true }),
    date: Args.string({ description: 'the day (YYYY-MM-DD)', required: true }),
  };

  async run(): Promise<CalendarYearView> {
    const { args } = await this.parse(CalendarWorkday);
    const v = this.unwrap(
      await this.useCases.workingCalendar.addWorkingDay(await this.operator(), args.year, args.date),
    );
    this.log(`${args.date} (${weekday(args.date)}) is now a make-up working day (调休上班) in the ${v.year} calendar`);
    return v;
  }
}
