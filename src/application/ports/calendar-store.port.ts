import type { CalendarYearData } from '../../domain/calendar/calendar-year.js';
import type { Actor } from './actor.js';

/** 'shipped': copied from seeds/calendars when an instance started; 'edited': changed through the hall. */
export type CalendarSource = 'shipped' | 'edited';

export interface CalendarYear {
  year: number;
  data: CalendarYearData;
  source: CalendarSource;
  updatedAt: Date;
  /** Who last edited the year; null for a shipped one. */
  updatedBy: string | null;
}

export interface CalendarChange {
  /** Past-tense dotted verb of the audit entry (and outbox topic): 'calendar.holiday-added'. */
  action: string;
  at: Date;
  /**
   * The year as the caller read it (null: no row yet). When given, the write happens only if the
   * stored year is still exactly that, so two concurrent edits cannot silently lose one.
   */
  expected?: CalendarYearData | null;
}

/**
 * The university calendar per year, shared by every instance. `put` checks nothing about the data
 * (the use case does): it replaces the year (source 'edited'), writes the audit entry and tells
 * every instance (so their working calendars reload), all in one transaction.
 */
export interface CalendarStore {
  /** Every stored year, in year order. */
  years(): Promise<CalendarYear[]>;
  /** False, with nothing written, when `change.expected` is given and the stored year differs. */
  put(year: number, data: CalendarYearData, by: Actor, change: CalendarChange): Promise<boolean>;
}
