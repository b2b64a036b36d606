import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import type { Actor } from '../../../application/ports/actor.js';
import type {
  CalendarChange,
  CalendarSource,
  CalendarStore,
  CalendarYear,
} from '../../../application/ports/calendar-store.port.js';
import type { CalendarYearData } from '../../../domain/calendar/calendar-year.js';
import { ChangeJournal } from '../knex/change-journal.js';

/** Channel on which every instance hears that the calendar changed (NOTIFY is delivered on commit). */
export const CALENDAR_CHANNEL = 'hall_calendar_changed';

interface Row {
  year: number;
  data: CalendarYearData;
  source: CalendarSource;
  updated_at: Date;
  updated_by: string | null;
}

/**
 * The `calendar_years` table. A write is one transaction: the row, its audit entry and outbox event
 * (the same columns as every other change, through the ChangeJournal) and the NOTIFY.
 */
export class KnexCalendarStore implements CalendarStore {
  constructor(private readonly knex: Knex) {}

  async years(): Promise<CalendarYear[]> {
    const rows = (await this.knex<Row>('calendar_years')
      .select('year', 'data', 'source', 'updated_at', 'updated_by')
      .orderBy('year')) as Row[];
    return rows.map((r) => ({
      year: r.year,
      data: r.data,
      source: r.source,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    }));
  }

  async put(year: number, data: CalendarYearData, by: Actor, change: CalendarChange): Promise<boolean> {
    return this.knex.transaction(async (trx) => {
      const current = (await trx<Row>('calendar_years').where({ year }).forUpdate().first('data')) as
        Pick<Row, 'data'> | undefined;
      if (
        change.expected !== undefined &&
        !(change.expected === null ? !current : current && isDeepStrictEqual(current.data, change.expected))
      )
        return false;
      const row = {
        year,
        data: JSON.stringify(data),
        source: 'edited',
        updated_at: change.at,
        updated_by: by.personId,
      };
      if (current) await trx('calendar_years').where({ year }).update(row);
      else {
        // a year nobody had: a concurrent first write of the same year wins, this one reports it
        const inserted = await trx('calendar_years').insert(row).onConflict('year').ignore().returning('year');
        if (!inserted.length) {
          if (change.expected !== undefined) return false;
          await trx('calendar_years').where({ year }).update(row);
        }
      }
      const journal = new ChangeJournal();
      await journal.audit.record({
        actorId: by.personId,
        action: change.action,
        entityType: 'calendar-year',
        entityId: String(year),
        unit: null,
        before: current?.data ?? null,
        after: data,
        requestId: by.requestId,
        at: change.at,
      });
      await journal.outbox.enqueue({
        topic: change.action,
        aggregateType: 'calendar-year',
        aggregateId: String(year),
        at: change.at,
        payload: { actor: by.personId, year },
      });
      await journal.flush(trx);
      await trx.raw('SELECT pg_notify(?, ?)', [CALENDAR_CHANNEL, String(year)]);
      return true;
    });
  }
}
