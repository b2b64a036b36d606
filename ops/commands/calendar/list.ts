import type { CalendarYearSummary } from '../../../src/application/calendar/working-calendar.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class CalendarList extends BaseCommand<typeof CalendarList> {
  static override summary = 'List the years the university calendar holds (any other year counts weekends only).';

  async run(): Promise<{ items: CalendarYearSummary[] }> {
    const r = this.unwrap(await this.useCases.workingCalendar.list());
    for (const y of r.items) {
      this.log(
        `${y.year}\t${y.source}\t${y.holidays} holiday(s)\t${y.adjustedWorkingDays} make-up day(s)\t${y.workingDays} working days\t${y.updatedAt.toISOString()}${y.updatedBy ? `\t${y.updatedBy}` : ''}`,
      );
    }
    return r;
  }
}
