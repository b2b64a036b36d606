import { Args, Flags } from '@oclif/core';
import type { CalendarYearView } from '../../../src/application/calendar/working-calendar.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class CalendarHoliday extends BaseCommand<typeof CalendarHoliday> {
  static override summary =
    'Add a public holiday (法定节假日) or other day(s) off to a year of the university calendar.';
  static override description =
    'The range may include weekends; it may not overlap another holiday or a make-up working day. IT Office only; audited.';
  static override examples = [
    '<%= config.bin %> calendar holiday 2027 --operator T0002 --from 2027-10-01 --to 2027-10-07 --name "国庆节 National Day"',
    '<%= config.bin %> calendar holiday 2026 --operator T0002 --from 2026-11-20 --name "校庆 University Day"',
  ];
  static override args = { year: Args.integer({ description: 'the year, e.g. 2026', required: true }) };
  static override flags = {
    from: Flags.string({ description: 'first day off (YYYY-MM-DD)', required: true }),
    to: Flags.string({ description: 'last day off (YYYY-MM-DD); default: the same as --from' }),
    name: Flags.string({ description: 'what the holiday is, e.g. "国庆节 National Day"', required: true }),
  };

  async run(): Promise<CalendarYearView> {
    const { args } = await this.parse(CalendarHoliday);
    const { from, name } = this.flags;
    const to = this.flags.to ?? from;
    const v = this.unwrap(
      await this.useCases.workingCalendar.addHoliday(await this.operator(), args.year, { name, from, to }),
    );
    this.log(`added ${name} ${from === to ? from : `${from}..${to}`} to the ${v.year} calendar`);
    return v;
  }
}
