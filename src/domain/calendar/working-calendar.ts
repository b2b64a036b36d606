/**
 * Working-day arithmetic on a university calendar: weekends and public holidays are rest days,
 * make-up working days (调休上班) on weekends are working days. Dates are civil dates in the
 * calendar's fixed UTC offset (China: +08:00, no daylight saving).
 */
export interface CalendarData {
  holidays: Array<{ name?: string; from: string; to: string }>;
  adjusted_working_days: string[];
}

const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

export class WorkingCalendar {
  private readonly rest = new Set<string>();
  private readonly work = new Set<string>();

  constructor(
    data: readonly CalendarData[],
    private readonly offsetMinutes = 8 * 60,
  ) {
    for (const year of data) {
      for (const h of year.holidays) {
        if (!ISO.test(h.from) || !ISO.test(h.to)) throw new Error(`calendar: bad holiday range ${h.from}..${h.to}`);
        for (let d = Date.parse(`${h.from}T00:00:00Z`); d <= Date.parse(`${h.to}T00:00:00Z`); d += DAY)
          this.rest.add(new Date(d).toISOString().slice(0, 10));
      }
      for (const d of year.adjusted_working_days) this.work.add(d);
    }
  }

  /** The civil date ('YYYY-MM-DD') of an instant in the calendar's offset. */
  civilDate(at: Date): string {
    return new Date(at.getTime() + this.offsetMinutes * 60_000).toISOString().slice(0, 10);
  }

  isWorkingDay(date: string): boolean {
    if (this.work.has(date)) return true;
    if (this.rest.has(date)) return false;
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6;
  }

  /**
   * The due instant `n` working days after `from`: the end (23:59:59.999 local) of the n-th working
   * day after the day of `from` — the day itself never counts, whatever the hour.
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 1) throw new Error('working days must be a positive integer');
    let date = this.civilDate(from);
    let left = n;
    while (left > 0) {
      date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
      if (this.isWorkingDay(date)) left--;
    }
    return new Date(Date.parse(`${date}T23:59:59.999Z`) - this.offsetMinutes * 60_000);
  }
}

/** The civil date ('YYYY-MM-DD') of an instant in China (+08:00, no daylight saving). */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
