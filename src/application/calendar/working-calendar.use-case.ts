import {
  canonical,
  checkCalendarYear,
  dateProblem,
  datesIn,
  describeHoliday,
  emptyYear,
  holidayOn,
  isWeekend,
  weekday,
  withoutDate,
  yearProblem,
  type CalendarYearData,
  type Holiday,
} from '../../domain/calendar/calendar-year.js';
import { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import {
  ConflictError,
  InputError,
  NotFoundError,
  type FieldProblem,
  type NotAllowedError,
} from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { CalendarStore, CalendarYear } from '../ports/calendar-store.port.js';
import type { Clock } from '../ports/clock.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import { authorize } from '../shared/authorize.js';

export interface CalendarMonth {
  /** 'YYYY-MM' */
  month: string;
  working: string[];
  rest: string[];
}

export interface CalendarYearView extends CalendarYear {
  months: CalendarMonth[];
}

export interface CalendarYearSummary {
  year: number;
  source: CalendarYear['source'];
  updatedAt: Date;
  updatedBy: string | null;
  holidays: number;
  adjustedWorkingDays: number;
  workingDays: number;
}

type EditError = NotAllowedError | InputError | ConflictError | NotFoundError;

/**
 * The university calendar (法定节假日, 调休上班) per year, from which due dates are counted in
 * working days. Anyone may read it; only the IT Office (global it-office role) edits it. Every edit
 * is checked against the rules of a calendar year, audited, and reaches every instance on commit.
 */
export class WorkingCalendarUseCase {
  constructor(private readonly deps: { calendarStore: CalendarStore; enforcer: PolicyEnforcer; clock: Clock }) {}

  async show(year: number): Promise<Result<CalendarYearView, InputError | NotFoundError>> {
    const y = yearProblem(year);
    if (y)
      return err(
        new InputError('CALENDAR.INVALID', 'The year is invalid', [{ path: '/year', message: `${year} ${y}` }]),
      );
    const found = (await this.deps.calendarStore.years()).find((r) => r.year === year);
    if (!found) {
      return err(
        new NotFoundError(
          'CALENDAR.YEAR_NOT_FOUND',
          `no calendar for ${year}: due dates in ${year} count weekends only until it is entered (hall calendar import)`,
        ),
      );
    }
    return ok({ ...found, months: months(year, found.data) });
  }

  async list(): Promise<Result<{ items: CalendarYearSummary[] }, never>> {
    const rows = await this.deps.calendarStore.years();
    return ok({
      items: rows.map((r) => ({
        year: r.year,
        source: r.source,
        updatedAt: r.updatedAt,
        updatedBy: r.updatedBy,
        holidays: r.data.holidays.length,
        adjustedWorkingDays: r.data.adjusted_working_days.length,
        workingDays: months(r.year, r.data).reduce((n, m) => n + m.working.length, 0),
      })),
    });
  }

  /** A public holiday (one day or a range) in `year`; it may not touch another holiday or a make-up day. */
  async addHoliday(
    actor: Actor,
    year: number,
    holiday: { name?: string; from: string; to: string },
  ): Promise<Result<CalendarYearView, EditError>> {
    return this.edit(
      actor,
      year,
      'calendar.holiday-added',
      () => {
        const problems: FieldProblem[] = [];
        if (holiday.name !== undefined && !holiday.name.trim())
          problems.push({ path: '/name', message: 'must be non-empty text' });
        const f = dateProblem(holiday.from, year);
        if (f) problems.push({ path: '/from', message: f });
        const t = dateProblem(holiday.to, year);
        if (t) problems.push({ path: '/to', message: t });
        if (!f && !t && holiday.to < holiday.from)
          problems.push({ path: '/to', message: `${holiday.to} is before from (${holiday.from})` });
        return problems;
      },
      (data) => {
        const range = datesIn(holiday.from, holiday.to);
        const overlapped = data.holidays.filter((h) => h.from <= holiday.to && holiday.from <= h.to);
        if (overlapped.length)
          return new ConflictError(
            'CALENDAR.HOLIDAY_OVERLAPS',
            `${holiday.from}..${holiday.to} overlaps ${overlapped.map(describeHoliday).join(', ')}: remove it first`,
          );
        const makeUp = data.adjusted_working_days.filter((d) => range.includes(d));
        if (makeUp.length)
          return new ConflictError(
            'CALENDAR.MAKE_UP_DAY_CLASH',
            `${makeUp.join(', ')} ${makeUp.length > 1 ? 'are make-up working days' : 'is a make-up working day'} (调休上班): a date cannot be both; remove it first`,
          );
        const added: Holiday = {
          ...(holiday.name?.trim() ? { name: holiday.name.trim() } : {}),
          from: holiday.from,
          to: holiday.to,
        };
        return canonical({ ...data, holidays: [...data.holidays, added] });
      },
    );
  }

  /** A make-up working day (调休上班): a Saturday or Sunday that is worked. */
  async addWorkingDay(actor: Actor, year: number, date: string): Promise<Result<CalendarYearView, EditError>> {
    return this.edit(
      actor,
      year,
      'calendar.working-day-added',
      () => {
        const p = dateProblem(date, year);
        if (p) return [{ path: '/date', message: p }];
        if (!isWeekend(date))
          return [
            {
              path: '/date',
              message: `${date} is a ${weekday(date)}: already a working day (a make-up day falls on a weekend)`,
            },
          ];
        return [];
      },
      (data) => {
        if (data.adjusted_working_days.includes(date))
          return new ConflictError('CALENDAR.ALREADY_WORKING_DAY', `${date} is already a make-up working day`);
        const h = holidayOn(data, date);
        if (h)
          return new ConflictError(
            'CALENDAR.DATE_IS_HOLIDAY',
            `${date} is in ${describeHoliday(h)}: a date cannot be both; remove it from the holiday first`,
          );
        return canonical({ ...data, adjusted_working_days: [...data.adjusted_working_days, date] });
      },
    );
  }

  /** Takes a date off the make-up days, or out of its holiday (splitting a range around it). */
  async remove(actor: Actor, year: number, date: string): Promise<Result<CalendarYearView, EditError>> {
    return this.edit(
      actor,
      year,
      'calendar.date-removed',
      () => {
        const p = dateProblem(date, year);
        return p ? [{ path: '/date', message: p }] : [];
      },
      (data, stored) => {
        if (!stored) return new NotFoundError('CALENDAR.YEAR_NOT_FOUND', `no calendar for ${year}`);
        return (
          withoutDate(data, date) ??
          new NotFoundError(
            'CALENDAR.DATE_NOT_LISTED',
            `${date} is neither a holiday nor a make-up working day in ${year}`,
          )
        );
      },
    );
  }

  /** Replaces the whole year with `data`, shaped like seeds/calendars/CN-2026.json. */
  async importYear(actor: Actor, year: number, data: unknown): Promise<Result<CalendarYearView, EditError>> {
    let checked: CalendarYearData | undefined;
    return this.edit(
      actor,
      year,
      'calendar.year-imported',
      () => {
        const r = checkCalendarYear(year, data);
        if (!r.ok) return r.error;
        checked = r.value;
        return [];
      },
      () => checked!,
    );
  }

  /**
   * Authorise, check the input (every problem at once), apply the change to the stored year (or an
   * empty one), and write it only if nobody changed the year meanwhile.
   */
  private async edit(
    actor: Actor,
    year: number,
    action: string,
    check: () => FieldProblem[],
    change: (
      data: CalendarYearData,
      stored: CalendarYear | undefined,
    ) => CalendarYearData | ConflictError | NotFoundError,
  ): Promise<Result<CalendarYearView, EditError>> {
    const allowed = await authorize(this.deps.enforcer, actor, { unit: ALL_UNITS, object: 'calendar', action: 'edit' });
    if (!allowed.ok) return allowed;
    const y = yearProblem(year);
    const problems = [...(y ? [{ path: '/year', message: `${year} ${y}` }] : []), ...(y ? [] : check())];
    if (problems.length)
      return err(new InputError('CALENDAR.INVALID', `The ${year} calendar change is invalid`, problems));
    const stored = (await this.deps.calendarStore.years()).find((r) => r.year === year);
    const next = change(stored?.data ?? emptyYear(), stored);
    if (next instanceof ConflictError || next instanceof NotFoundError) return err(next);
    const at = this.deps.clock.now();
    if (!(await this.deps.calendarStore.put(year, next, actor, { action, at, expected: stored?.data ?? null }))) {
      return err(
        new ConflictError(
          'CALENDAR.CHANGED_MEANWHILE',
          `the ${year} calendar was changed by someone else meanwhile: look again and retry`,
        ),
      );
    }
    return ok({
      year,
      data: next,
      source: 'edited',
      updatedAt: at,
      updatedBy: actor.personId,
      months: months(year, next),
    });
  }
}

/** Working and rest days of each month of `year`, by the domain's arithmetic. */
function months(year: number, data: CalendarYearData): CalendarMonth[] {
  const cal = new WorkingCalendar([data]);
  const out: CalendarMonth[] = [];
  for (const date of datesIn(`${year}-01-01`, `${year}-12-31`)) {
    const month = date.slice(0, 7);
    if (out.at(-1)?.month !== month) out.push({ month, working: [], rest: [] });
    out.at(-1)![cal.isWorkingDay(date) ? 'working' : 'rest'].push(date);
  }
  return out;
}
