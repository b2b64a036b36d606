import { Args } from '@oclif/core';
import type { CalendarYearView } from '../../../src/application/calendar/working-calendar.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class CalendarRemove extends BaseCommand<typeof CalendarRemove> {
  static override summary =
    'Take a date off the university calendar: out of its public holiday (a range is split around it) or off the make-up working days.';
  static override description =
    'The date then follows the week: Monday to Friday working, Saturday and Sunday rest. IT Office only; audited.';
  static override examples = ['<%= config.bin %> calendar remove 2026 2026-10-10 --operator T0002'];
  static override args = {
    year: Args.integer({ description: 'the year, e.g. 2026', required: true }),
    date: Args.string({ description: 'the day (YYYY-MM-DD)', required: true }),
  };

  async run(): Promise<CalendarYearView> {
    const { args } = await this.parse(CalendarRemove);
    const v = this.unwrap(await this.useCases.workingCalendar.remove(await this.operator(), args.year, args.date));
    const working = v.months.some((m) => m.working.includes(args.date));
    this.log(`removed ${args.date} from the ${v.year} calendar: it is now a ${working ? 'working' : 'rest'} day`);
    return v;
  }
}
