import type { Actor } from '../../src/application/ports/actor.js';
import type { CalendarChange, CalendarStore, CalendarYear } from '../../src/application/ports/calendar-store.port.js';
import type { CalendarYearData } from '../../src/domain/calendar/calendar-year.js';

/** The calendar years, with the compare-and-set of KnexCalendarStore; `puts` are the changes it wrote (each audited there). */
export class InMemoryCalendarStore implements CalendarStore {
  rows = new Map<number, CalendarYear>();
  readonly puts: Array<{ year: number; data: CalendarYearData; by: Actor; change: CalendarChange }> = [];

  async years(): Promise<CalendarYear[]> {
    return [...this.rows.values()].sort((a, b) => a.year - b.year).map((r) => structuredClone(r));
  }

  async put(year: number, data: CalendarYearData, by: Actor, change: CalendarChange): Promise<boolean> {
    const current = this.rows.get(year);
    if (change.expected !== undefined && JSON.stringify(current?.data ?? null) !== JSON.stringify(change.expected))
      return false;
    this.rows.set(year, {
      year,
      data: structuredClone(data),
      source: 'edited',
      updatedAt: change.at,
      updatedBy: by.personId,
    });
    this.puts.push({ year, data: structuredClone(data), by, change });
    return true;
  }
}
