import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkingCalendar, type CalendarData } from '../../../domain/calendar/working-calendar.js';
import { seedsDir } from '../../driving/seed/seeds-dir.js';

/** The working calendar from every `<name>-<year>.json` file under seeds/calendars (or `dir`). */
export function loadWorkingCalendar(dir = path.join(seedsDir(), 'calendars')): WorkingCalendar {
  const files = readdirSync(dir).filter((f) => /^[A-Z]+-\d{4}\.json$/.test(f)).sort();
  return new WorkingCalendar(files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CalendarData));
}
export const WORKING_CALENDAR = Symbol.for('core.workingCalendar');
