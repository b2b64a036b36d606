import type { FieldProblem } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { CalendarData } from './working-calendar.js';

/**
 * The rules of one year of the university calendar: public holidays (法定节假日) as date ranges
 * inside the year, make-up working days (调休上班) on weekends only, and never both on one date.
 * Pure functions over `CalendarData`; the working-day arithmetic stays in `WorkingCalendar`.
 */

/** One year as stored: the calendar data, plus the free-text provenance of a shipped file. */
export interface CalendarYearData extends CalendarData {
  /** Where the arrangement comes from (e.g. the State Council notice). */
  source?: string;
  note?: string;
}

export type Holiday = CalendarData['holidays'][number];

const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The years a calendar may be kept for. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

export function yearProblem(year: unknown): string | null {
  return Number.isInteger(year) && (year as number) >= FIRST_YEAR && (year as number) <= LAST_YEAR
    ? null
    : `is not a year between ${FIRST_YEAR} and ${LAST_YEAR}`;
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** Why `value` is not a date of `year`, or null when it is one. */
export function dateProblem(value: unknown, year: number): string | null {
  if (!isIsoDate(value)) return `${JSON.stringify(value ?? null)} is not a date (YYYY-MM-DD)`;
  if (!value.startsWith(`${year}-`)) return `${value} is not in ${year}`;
  return null;
}

export function weekday(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

export function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/** Every date from `from` to `to`, both included. */
export function datesIn(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += DAY)
    out.push(new Date(d).toISOString().slice(0, 10));
  return out;
}

export function nextDay(date: string, days = 1): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function emptyYear(): CalendarYearData {
  return { holidays: [], adjusted_working_days: [] };
}

/** The holiday that contains `date`, if any. */
export function holidayOn(data: CalendarData, date: string): Holiday | undefined {
  return data.holidays.find((h) => h.from <= date && date <= h.to);
}

/** Holidays in date order, make-up days sorted: the same year always reads the same. */
export function canonical(data: CalendarYearData): CalendarYearData {
  return {
    ...data,
    holidays: [...data.holidays].sort((a, b) => a.from.localeCompare(b.from)),
    adjusted_working_days: [...data.adjusted_working_days].sort(),
  };
}

export const describeHoliday = (h: Holiday) =>
  `${h.name ?? 'holiday'} (${h.from === h.to ? h.from : `${h.from}..${h.to}`})`;

/**
 * Checks a whole year (e.g. a file shaped like seeds/calendars/CN-2026.json) and returns it in
 * canonical form with only the known members, or every problem found, each naming its field.
 */
export function checkCalendarYear(year: number, input: unknown): Result<CalendarYearData, FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const y = yearProblem(year);
  if (y) return err([{ path: '/year', message: `${year} ${y}` }]);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return err([{ path: '', message: 'must be an object with holidays and adjusted_working_days' }]);
  }
  const o = input as Record<string, unknown>;
  if (o.year !== undefined && o.year !== year)
    problems.push({ path: '/year', message: `says ${JSON.stringify(o.year)}, not ${year}` });
  for (const k of ['source', 'note'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') problems.push({ path: `/${k}`, message: 'must be text' });
  }

  const holidays: Holiday[] = [];
  if (!Array.isArray(o.holidays)) problems.push({ path: '/holidays', message: 'must be a list of {name, from, to}' });
  else {
    o.holidays.forEach((h: unknown, i) => {
      const path = `/holidays/${i}`;
      if (typeof h !== 'object' || h === null) {
        problems.push({ path, message: 'must be {name, from, to}' });
        return;
      }
      const { name, from, to } = h as Record<string, unknown>;
      const before = problems.length;
      if (name !== undefined && (typeof name !== 'string' || !name.trim()))
        problems.push({ path: `${path}/name`, message: 'must be non-empty text' });
      const f = dateProblem(from, year);
      if (f) problems.push({ path: `${path}/from`, message: f });
      const t = dateProblem(to, year);
      if (t) problems.push({ path: `${path}/to`, message: t });
      if (!f && !t && (to as string) < (from as string))
        problems.push({ path: `${path}/to`, message: `${String(to)} is before from (${String(from)})` });
      if (problems.length === before)
        holidays.push({
          ...(name === undefined ? {} : { name: (name as string).trim() }),
          from: from as string,
          to: to as string,
        });
    });
    const sorted = [...holidays].sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      if (b.from <= a.to)
        problems.push({
          path: `/holidays/${holidays.indexOf(b)}`,
          message: `${describeHoliday(b)} overlaps ${describeHoliday(a)}`,
        });
    }
  }

  const days: string[] = [];
  if (!Array.isArray(o.adjusted_working_days))
    problems.push({ path: '/adjusted_working_days', message: 'must be a list of dates' });
  else {
    o.adjusted_working_days.forEach((d: unknown, i) => {
      const path = `/adjusted_working_days/${i}`;
      const p = dateProblem(d, year);
      if (p) {
        problems.push({ path, message: p });
        return;
      }
      const date = d as string;
      if (!isWeekend(date))
        problems.push({
          path,
          message: `${date} is a ${weekday(date)}: already a working day (a make-up day falls on a weekend)`,
        });
      else if (days.includes(date)) problems.push({ path, message: `${date} is listed twice` });
      else {
        const h = holidayOn({ holidays, adjusted_working_days: [] }, date);
        if (h) problems.push({ path, message: `${date} is also a holiday: ${describeHoliday(h)}` });
        else days.push(date);
      }
    });
  }
  if (problems.length) return err(problems);
  return ok(
    canonical({
      ...(typeof o.source === 'string' ? { source: o.source } : {}),
      ...(typeof o.note === 'string' ? { note: o.note } : {}),
      holidays,
      adjusted_working_days: days,
    }),
  );
}

/**
 * The year without `date`: dropped from the make-up days, or cut out of the holiday containing it
 * (a range is split in two around it). Undefined when the date is in neither.
 */
export function withoutDate(data: CalendarYearData, date: string): CalendarYearData | undefined {
  if (data.adjusted_working_days.includes(date)) {
    return { ...data, adjusted_working_days: data.adjusted_working_days.filter((d) => d !== date) };
  }
  const h = holidayOn(data, date);
  if (!h) return undefined;
  const keep = (from: string, to: string): Holiday[] =>
    from <= to ? [{ ...(h.name === undefined ? {} : { name: h.name }), from, to }] : [];
  const pieces = [...keep(h.from, nextDay(date, -1)), ...keep(nextDay(date), h.to)];
  return canonical({ ...data, holidays: data.holidays.flatMap((x) => (x === h ? pieces : [x])) });
}
