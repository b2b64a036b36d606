import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { checkCalendarYear, type CalendarYearData } from '../../../domain/calendar/calendar-year.js';
import { WorkingCalendar, type CalendarData } from '../../../domain/calendar/working-calendar.js';
import { CALENDAR_CHANNEL } from './knex-calendar-store.js';

/**
 * Seeds the shipped years nobody has stored yet (idempotent, and safe when two instances start at
 * once) and reads every stored year, in one statement. The rows it inserts are not visible to its
 * own SELECT (one snapshot), hence the UNION with what it returned. A year another instance seeded
 * concurrently may be in neither; the shipped file then stands in for it, with the same data.
 */
const SEED_AND_LOAD = `
  WITH shipped AS (
    SELECT (e->>'year')::int AS year, e->'data' AS data FROM jsonb_array_elements($1::jsonb) e
  ), seeded AS (
    INSERT INTO calendar_years (year, data, source, updated_at, updated_by)
    SELECT year, data, 'shipped', now(), NULL FROM shipped
    ON CONFLICT (year) DO NOTHING
    RETURNING year, data
  )
  SELECT year, data FROM calendar_years
  UNION ALL SELECT year, data FROM seeded`;

const LOAD = 'SELECT year, data FROM calendar_years';

/**
 * The shipped years: every `<NAME>-<year>.json` under `dir` (seeds/calendars, as the composition
 * root finds it), checked by the same rules as an import and kept in the same form (a broken file is
 * a broken release: it throws). Several files of one year are merged.
 */
export function readShippedCalendars(dir: string): Map<number, CalendarYearData> {
  const years = new Map<number, CalendarYearData>();
  for (const f of readdirSync(dir)
    .filter((n) => /^[A-Z]+-\d{4}\.json$/.test(n))
    .sort()) {
    const year = Number(/-(\d{4})\.json$/.exec(f)![1]);
    const seen = years.get(year);
    const file = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CalendarYearData;
    const checked = checkCalendarYear(
      year,
      seen
        ? {
            ...file,
            holidays: [...seen.holidays, ...file.holidays],
            adjusted_working_days: [...seen.adjusted_working_days, ...file.adjusted_working_days],
          }
        : file,
    );
    if (!checked.ok)
      throw new Error(`calendar file ${f}: ${checked.error.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    years.set(year, checked.value);
  }
  return years;
}

/**
 * The university's working calendar as every instance of the hall sees it: the years stored in
 * `calendar_years` (edited with `hall calendar`), and for any year not stored, the shipped file.
 * Consumers use it exactly like a `WorkingCalendar`, synchronously; the arithmetic is the domain
 * class's, this adapter only feeds it data. `start()` seeds and loads in one query and LISTENs on
 * `hall_calendar_changed`: a change committed by any instance is here within milliseconds.
 * `stop()` releases the one connection it holds.
 *
 * A year with no data at all (say next year, before the State Council publishes its arrangement and
 * the IT Office enters it) counts weekends only — no public holidays, no make-up days — rather than
 * refusing: a due date is always given. A warning is logged once per such year, since those dates
 * may land on a holiday not yet entered.
 */
export class LiveWorkingCalendar extends WorkingCalendar {
  private current: WorkingCalendar;
  private covered = new Set<number>();
  private readonly warned = new Set<number>();
  private readonly shipped: Map<number, CalendarYearData>;
  private client: pg.Client | undefined;
  private stopped = false;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    shippedDir: string,
  ) {
    super([]);
    this.shipped = readShippedCalendars(shippedDir);
    this.current = this.build([]);
  }

  /** Connects, LISTENs, seeds the shipped years absent from the table and loads every year. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'service-hall-calendar' });
    client.on('notification', () => this.schedule());
    client.on('error', (e) => {
      if (this.client !== client || this.stopped) return;
      this.logger.warn({ err: e }, 'calendar listener connection lost; reconnecting');
      void this.restart();
    });
    try {
      await client.connect();
      // listen first: a change committed after the snapshot of the load is still heard
      await client.query(`LISTEN ${CALENDAR_CHANNEL}`);
      const shipped = [...this.shipped].map(([year, data]) => ({ year, data }));
      const { rows } = await client.query<{ year: number; data: CalendarData }>(SEED_AND_LOAD, [
        JSON.stringify(shipped),
      ]);
      this.current = this.build(rows);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Re-reads the stored years now (notifications do this on their own). */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const { rows } = await client.query<{ year: number; data: CalendarData }>(LOAD);
    this.current = this.build(rows);
  }

  /** The years with data (stored or shipped); any other year counts weekends only. */
  years(): number[] {
    return [...this.covered].sort((a, b) => a - b);
  }

  override civilDate(at: Date): string {
    return this.current.civilDate(at);
  }

  override isWorkingDay(date: string): boolean {
    return this.current.isWorkingDay(date);
  }

  /** As `WorkingCalendar.addWorkingDays`; through a year without data it counts weekends only (see above). */
  override addWorkingDays(from: Date, n: number): Date {
    const due = this.current.addWorkingDays(from, n);
    const last = Number(this.current.civilDate(due).slice(0, 4));
    for (let y = Number(this.current.civilDate(from).slice(0, 4)); y <= last; y++) {
      if (!this.covered.has(y) && !this.warned.has(y)) {
        this.warned.add(y);
        this.logger.warn(
          { year: y },
          `no working calendar for ${y}: counting weekends only (enter it with hall calendar import)`,
        );
      }
    }
    return due;
  }

  /** Shipped years overridden by stored ones; a year whose data is unusable is left out, loudly. */
  private build(rows: ReadonlyArray<{ year: number; data: CalendarData }>): WorkingCalendar {
    const years = new Map(this.shipped);
    for (const r of rows) years.set(r.year, r.data);
    const good: CalendarData[] = [];
    const covered = new Set<number>();
    for (const [year, data] of years) {
      try {
        new WorkingCalendar([data]);
        good.push(data);
        covered.add(year);
      } catch (e) {
        this.logger.error({ err: e, year }, `the ${year} calendar is unusable; counting weekends only`);
      }
    }
    this.covered = covered;
    return new WorkingCalendar(good);
  }

  private schedule(): void {
    if (this.pending || this.stopped) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.reload().catch((e: unknown) => {
        if (!this.stopped) this.logger.error({ err: e }, 'calendar reload failed');
      });
    }, 20);
  }

  private async restart(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    await old?.end().catch(() => undefined);
    for (let delay = 200; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        await this.start();
        if (this.stopped) await this.stop();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
