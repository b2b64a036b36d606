import { expect } from 'chai';
import path from 'node:path';
import pino from 'pino';
import { KnexCalendarStore } from '../../src/adapters/driven/calendar/knex-calendar-store.js';
import { LiveWorkingCalendar } from '../../src/adapters/driven/calendar/live-working-calendar.js';
import { seedsDir } from '../../src/adapters/composition/seeds-dir.js';
import { WorkingCalendarUseCase } from '../../src/application/calendar/working-calendar.use-case.js';
import type { Actor } from '../../src/application/ports/actor.js';
import type { PolicyEnforcer } from '../../src/application/ports/policy-enforcer.port.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

const log = pino({ level: 'silent' });
const itOffice: Actor = { personId: 'T0002', requestId: 'req-calendar-test' };
/** Only the IT Office's T0002 may edit (the real policy is exercised by the CLI tests). */
const enforcer = { can: async (r: { subject: string }) => r.subject === 'T0002' } as unknown as PolicyEnforcer;
const local = (iso: string) => new Date(`${iso}+08:00`);

/** Polls (every 25 ms, at most `ms`) until `check` holds. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('not within the time allowed');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('working calendar in PostgreSQL (calendar_years, LISTEN/NOTIFY)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const started: LiveWorkingCalendar[] = [];
  const live = async () => {
    const c = new LiveWorkingCalendar(db.url, log, path.join(seedsDir(), 'calendars'));
    await c.start();
    started.push(c);
    return c;
  };
  const listeners = async () =>
    Number(
      (
        await db.knex.raw(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'service-hall-calendar'`,
        )
      ).rows[0].n,
    );

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    for (const c of started) await c.stop();
    await db.drop();
  });

  it('seeds the shipped year once, even when two instances start at once', async () => {
    expect(await db.knex('calendar_years').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    await Promise.all([live(), live()]);
    const rows = await db.knex('calendar_years').select('year', 'source', 'updated_by', 'updated_at');
    expect(rows.map((r) => [r.year, r.source, r.updated_by])).to.deep.equal([[2026, 'shipped', null]]);
    await live();
    const again = await db.knex('calendar_years').select('year', 'updated_at');
    expect(again).to.deep.equal(rows.map((r) => ({ year: r.year, updated_at: r.updated_at })));
    const stored = (await new KnexCalendarStore(db.knex).years())[0]!;
    expect(stored.data.holidays).to.deep.include({ name: '国庆节 National Day', from: '2026-10-01', to: '2026-10-07' });
    expect(stored.data.adjusted_working_days).to.include('2026-10-10');
    expect(stored.data, 'kept in the form an import has').to.not.have.any.keys('year', 'calendar');
    expect(stored.data.source).to.contain('State Council');
  });

  it('gives due instants at the end of the n-th working day (+08:00) across a weekend, National Day and make-up days', async () => {
    const cal = started[0]!;
    expect(cal.years()).to.deep.equal([2026]);
    // Friday + 1 = Monday
    expect(cal.addWorkingDays(local('2026-11-27T10:00:00'), 1).toISOString()).to.equal('2026-11-30T15:59:59.999Z');
    // National Day, 1-7 Oct: the day after 30 Sep is 8 Oct
    expect(cal.addWorkingDays(local('2026-09-30T09:00:00'), 1).toISOString()).to.equal('2026-10-08T15:59:59.999Z');
    // Saturday 10 Oct is a make-up working day (调休上班)
    expect(cal.addWorkingDays(local('2026-10-09T09:00:00'), 1).toISOString()).to.equal('2026-10-10T15:59:59.999Z');
    // Sunday 20 Sep too
    expect(cal.addWorkingDays(local('2026-09-19T18:00:00'), 1).toISOString()).to.equal('2026-09-20T15:59:59.999Z');
    // 29, 30 Sep; 8, 9, 10 (Sat) Oct; 12-16; 19-23 Oct
    expect(cal.addWorkingDays(local('2026-09-28T10:00:00'), 15).toISOString()).to.equal('2026-10-23T15:59:59.999Z');
    expect(cal.civilDate(new Date('2026-10-09T16:30:00Z'))).to.equal('2026-10-10');
  });

  it('counts weekends only in a year it has no data for (a due date is still given)', () => {
    const cal = started[0]!;
    // Thursday 31 Dec 2026 + 1: Friday 1 Jan 2027 counts, since 2027 is not entered
    expect(cal.addWorkingDays(local('2026-12-31T10:00:00'), 1).toISOString()).to.equal('2027-01-01T15:59:59.999Z');
    expect(cal.addWorkingDays(local('2027-01-01T10:00:00'), 1).toISOString(), 'over the weekend').to.equal(
      '2027-01-04T15:59:59.999Z',
    );
  });

  it('an edit through one instance reaches every live calendar on the database within moments', async () => {
    const [a, b] = started as [LiveWorkingCalendar, LiveWorkingCalendar];
    const calendar = new WorkingCalendarUseCase({
      calendarStore: new KnexCalendarStore(db.knex),
      enforcer,
      clock: { now: () => new Date() },
    });
    expect(b.isWorkingDay('2026-11-20')).to.equal(true);
    const added = await calendar.addHoliday(itOffice, 2026, {
      name: '校庆 University Day',
      from: '2026-11-20',
      to: '2026-11-20',
    });
    expect(added.ok, JSON.stringify(added)).to.equal(true);
    const t0 = Date.now();
    await eventually(() => !a.isWorkingDay('2026-11-20') && !b.isWorkingDay('2026-11-20'));
    expect(Date.now() - t0).to.be.below(1000);
    expect(
      b.addWorkingDays(local('2026-11-19T10:00:00'), 1).toISOString(),
      'Thu + 1 skips the new holiday and the weekend',
    ).to.equal('2026-11-23T15:59:59.999Z');

    const row = await db.knex('calendar_years').where({ year: 2026 }).first();
    expect([row.source, row.updated_by]).to.deep.equal(['edited', 'T0002']);
    const audit = await db
      .knex('audit_log')
      .where({ entity_type: 'calendar-year', entity_id: '2026' })
      .select('action', 'actor_id', 'request_id', 'before', 'after');
    expect(audit.map((e) => [e.action, e.actor_id, e.request_id])).to.deep.equal([
      ['calendar.holiday-added', 'T0002', 'req-calendar-test'],
    ]);
    expect(audit[0].before.holidays).to.have.length(7);
    expect(audit[0].after.holidays).to.have.length(8);

    // and back: a make-up Saturday on both
    expect((await calendar.addWorkingDay(itOffice, 2026, '2026-11-21')).ok).to.equal(true);
    await eventually(() => a.isWorkingDay('2026-11-21') && b.isWorkingDay('2026-11-21'));
    expect((await calendar.remove(itOffice, 2026, '2026-11-20')).ok).to.equal(true);
    await eventually(() => b.isWorkingDay('2026-11-20'));
  });

  it('a write based on a stale read changes nothing', async () => {
    const store = new KnexCalendarStore(db.knex);
    const before = (await store.years())[0]!;
    const audits = Number((await db.knex('audit_log').count({ n: '*' }).first())!.n);
    const stale = { ...before.data, adjusted_working_days: [] };
    expect(
      await store.put(2026, { holidays: [], adjusted_working_days: [] }, itOffice, {
        action: 'calendar.year-imported',
        at: new Date(),
        expected: stale,
      }),
    ).to.equal(false);
    expect(
      await store.put(2026, { holidays: [], adjusted_working_days: [] }, itOffice, {
        action: 'calendar.year-imported',
        at: new Date(),
        expected: null,
      }),
    ).to.equal(false);
    expect((await store.years())[0]!.data).to.deep.equal(before.data);
    expect(Number((await db.knex('audit_log').count({ n: '*' }).first())!.n)).to.equal(audits);
  });

  it('hears changes again after its connection is cut, and releases it on stop', async () => {
    const c = await live();
    await db.knex.raw(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'service-hall-calendar' AND pid <> pg_backend_pid()`,
    );
    const calendar = new WorkingCalendarUseCase({
      calendarStore: new KnexCalendarStore(db.knex),
      enforcer,
      clock: { now: () => new Date() },
    });
    // every instance reconnects; an edit made once they have is heard by all
    await eventually(async () => (await listeners()) === started.length);
    expect(
      (await calendar.addHoliday(itOffice, 2026, { name: '运动会 Sports Day', from: '2026-11-26', to: '2026-11-27' }))
        .ok,
    ).to.equal(true);
    await eventually(() => started.every((s) => !s.isWorkingDay('2026-11-27')));
    for (const s of started.splice(0)) await s.stop();
    await eventually(async () => (await listeners()) === 0);
    expect(c.isWorkingDay('2026-11-27'), 'a stopped calendar keeps its last data').to.equal(false);
  });
});
