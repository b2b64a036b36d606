import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { CalendarYearView } from '../../../src/application/calendar/working-calendar.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class CalendarImport extends BaseCommand<typeof CalendarImport> {
  static override summary =
    'Replace a year of the university calendar with a file shaped like seeds/calendars/CN-2026.json.';
  static override description =
    'The file lists the public holidays (法定节假日) as {name, from, to} and the make-up working days (调休上班) as adjusted_working_days. ' +
    'The year comes from --year, else from the file name (CN-2027.json). Every problem in the file is reported and nothing is changed. IT Office only; audited.';
  static override examples = [
    '<%= config.bin %> calendar import CN-2027.json --operator T0002',
    '<%= config.bin %> calendar import arrangement.json --year 2027 --operator T0002',
  ];
  static override args = { file: Args.string({ description: 'the JSON file', required: true }) };
  static override flags = {
    year: Flags.integer({ description: 'the year the file is for (default: from the file name, e.g. CN-2027.json)' }),
  };

  async run(): Promise<CalendarYearView> {
    const { args } = await this.parse(CalendarImport);
    const fromName = /(\d{4})\.json$/i.exec(path.basename(args.file))?.[1];
    const year = this.flags.year ?? (fromName ? Number(fromName) : undefined);
    if (year === undefined)
      this.error(`say which year ${args.file} is for: --year, or name the file like CN-2027.json`, { exit: 2 });
    let data: unknown;
    try {
      data = JSON.parse(await readFile(args.file, 'utf8'));
    } catch (e) {
      this.error(`cannot read ${args.file}: ${(e as Error).message}`, { exit: 2 });
    }
    const v = this.unwrap(await this.useCases.workingCalendar.importYear(await this.operator(), year, data));
    this.log(
      `imported the ${v.year} calendar: ${v.data.holidays.length} holiday(s), ${v.data.adjusted_working_days.length} make-up working day(s), ` +
        `${v.months.reduce((n, m) => n + m.working.length, 0)} working days`,
    );
    return v;
  }
}
