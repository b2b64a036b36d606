import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { WorkingCalendarUseCase } from '../../../../src/application/calendar/working-calendar.use-case.js';
import type { Actor } from '../../../../src/application/ports/actor.js';
import type { CalendarYearData } from '../../../../src/domain/calendar/calendar-year.js';
import type { DomainError, InputError } from '../../../../src/domain/shared/errors.js';
import type { Result } from '../../../../src/domain/shared/result.js';
import { FakeClock } from '../../../fakes/fake-clock.js';
import { FakePolicyEnforcer } from '../../../fakes/fake-policy-enforcer.js';
import { InMemoryCalendarStore } from '../../../fakes/in-memory-calendar-store.js';

const cn2026 = JSON.parse(
  readFileSync(new URL('../../../../seeds/calendars/CN-2026.json', import.meta.url), 'utf8'),
) as CalendarYearData & { year: number };
const it_ = { personId: 'T0002', requestId: 'r1' } satisfies Actor;
const someoneElse = { personId: 'T0301', requestId: 'r2' } satisfies Actor;
const NOW = new Date('2026-11-27T02:00:00Z');

/** The IT Office (T0002) edits; T0301 administers finance, which gives no say over the calendar. */
const enforcer = new FakePolicyEnforcer({
  source: () => [
    { subject: 'T0002', role: 'it-office', unit: '*' },
    { subject: 'T0301', role: 'unit-service-admin', unit: 'finance' },
  ],
});

function setup() {
  const store = new InMemoryCalendarStore();
  store.rows.set(2026, {
    year: 2026,
    data: structuredClone(cn2026),
    source: 'shipped',
    updatedAt: new Date(0),
    updatedBy: null,
  });
  return { store, uc: new WorkingCalendarUseCase({ calendarStore: store, enforcer, clock: new FakeClock(NOW) }) };
}

function failure(r: Result<unknown, DomainError>): DomainError {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}
const problems = (r: Result<unknown, DomainError>) => (failure(r) as InputError).problems.map((p) => p.path);

describe('WorkingCalendarUseCase', () => {
  it('shows a year by month with the shipped arrangement; an unknown year is not found', async () => {
    const { uc } = setup();
    const r = await uc.show(2026);
    if (!r.ok) throw r.error;
    expect(r.value.months).to.have.length(12);
    const oct = r.value.months[9]!;
    expect(oct.rest.slice(0, 7)).to.deep.equal([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(oct.working).to.include('2026-10-10');
    expect(r.value.months.reduce((n, m) => n + m.working.length, 0)).to.equal(248);
    expect(failure(await uc.show(2031)).code).to.equal('CALENDAR.YEAR_NOT_FOUND');
    expect(failure(await uc.show(1800)).code).to.equal('CALENDAR.INVALID');
    const listed = await uc.list();
    expect(
      listed.ok && listed.value.items.map((i) => [i.year, i.holidays, i.adjustedWorkingDays, i.workingDays]),
    ).to.deep.equal([[2026, 7, 6, 248]]);
  });

  it('only the IT Office edits', async () => {
    const { uc, store } = setup();
    expect(failure(await uc.addWorkingDay(someoneElse, 2026, '2026-11-21')).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.importYear(someoneElse, 2027, { holidays: [], adjusted_working_days: [] })).code).to.equal(
      'AUTH.FORBIDDEN',
    );
    expect(store.puts).to.deep.equal([]);
  });

  it('adds a holiday, audited under its action, and refuses bad or clashing ones naming each field', async () => {
    const { uc, store } = setup();
    const r = await uc.addHoliday(it_, 2026, { name: ' 校庆 ', from: '2026-11-20', to: '2026-11-20' });
    if (!r.ok) throw r.error;
    expect(r.value.data.holidays.at(-1)).to.deep.equal({ name: '校庆', from: '2026-11-20', to: '2026-11-20' });
    expect(store.puts[0]!.change).to.deep.include({ action: 'calendar.holiday-added', at: NOW });

    expect(problems(await uc.addHoliday(it_, 2026, { name: 'x', from: '2026-02-30', to: '2027-01-02' }))).to.deep.equal(
      ['/from', '/to'],
    );
    expect(
      failure(await uc.addHoliday(it_, 2026, { name: 'x', from: '2026-12-02', to: '2026-12-01' })).message,
    ).to.contain('invalid');
    expect(problems(await uc.addHoliday(it_, 2026, { name: 'x', from: '2026-12-02', to: '2026-12-01' }))).to.deep.equal(
      ['/to'],
    );
    expect(
      problems(await uc.addHoliday(it_, 2026, { name: '  ', from: '2026-12-01', to: '2026-12-01' })),
    ).to.deep.equal(['/name']);
    expect(
      problems(await uc.addHoliday(it_, 20266, { name: 'x', from: '2026-12-01', to: '2026-12-01' })),
    ).to.deep.equal(['/year']);
    expect(failure(await uc.addHoliday(it_, 2026, { name: 'x', from: '2026-10-06', to: '2026-10-08' })).code).to.equal(
      'CALENDAR.HOLIDAY_OVERLAPS',
    );
    const clash = failure(await uc.addHoliday(it_, 2026, { name: 'x', from: '2026-10-09', to: '2026-10-11' }));
    expect([clash.kind, clash.code]).to.deep.equal(['conflict', 'CALENDAR.MAKE_UP_DAY_CLASH']);
    expect(clash.message).to.contain('2026-10-10');
    expect(store.puts).to.have.length(1);
  });

  it('adds a make-up working day only on a weekend day outside holidays', async () => {
    const { uc } = setup();
    const r = await uc.addWorkingDay(it_, 2026, '2026-11-21');
    expect(r.ok && r.value.data.adjusted_working_days.at(-1)).to.equal('2026-11-21');
    const weekday = failure(await uc.addWorkingDay(it_, 2026, '2026-11-23'));
    expect([weekday.code, (weekday as InputError).problems[0]!.message]).to.deep.equal([
      'CALENDAR.INVALID',
      '2026-11-23 is a Monday: already a working day (a make-up day falls on a weekend)',
    ]);
    expect(problems(await uc.addWorkingDay(it_, 2026, '2027-01-02'))).to.deep.equal(['/date']);
    expect(failure(await uc.addWorkingDay(it_, 2026, '2026-10-10')).code).to.equal('CALENDAR.ALREADY_WORKING_DAY');
    expect(failure(await uc.addWorkingDay(it_, 2026, '2026-10-03')).code).to.equal('CALENDAR.DATE_IS_HOLIDAY');
  });

  it('removes a make-up day, or a date out of a holiday by splitting the range', async () => {
    const { uc } = setup();
    const split = await uc.remove(it_, 2026, '2026-10-03');
    if (!split.ok) throw split.error;
    expect(split.value.data.holidays.filter((h) => h.name === '国庆节 National Day')).to.deep.equal([
      { name: '国庆节 National Day', from: '2026-10-01', to: '2026-10-02' },
      { name: '国庆节 National Day', from: '2026-10-04', to: '2026-10-07' },
    ]);
    const edge = await uc.remove(it_, 2026, '2026-10-01');
    expect(
      edge.ok && edge.value.data.holidays.filter((h) => h.name === '国庆节 National Day').map((h) => [h.from, h.to]),
    ).to.deep.equal([
      ['2026-10-02', '2026-10-02'],
      ['2026-10-04', '2026-10-07'],
    ]);
    const single = await uc.remove(it_, 2026, '2026-10-02');
    expect(single.ok && single.value.data.holidays.filter((h) => h.name === '国庆节 National Day').length).to.equal(1);
    const makeUp = await uc.remove(it_, 2026, '2026-10-10');
    expect(makeUp.ok && makeUp.value.data.adjusted_working_days).to.not.include('2026-10-10');
    expect(failure(await uc.remove(it_, 2026, '2026-11-25')).code).to.equal('CALENDAR.DATE_NOT_LISTED');
    expect(failure(await uc.remove(it_, 2028, '2028-01-01')).code).to.equal('CALENDAR.YEAR_NOT_FOUND');
    expect(problems(await uc.remove(it_, 2026, 'tomorrow'))).to.deep.equal(['/date']);
  });

  it('imports a year shaped like CN-2026.json, or reports every problem in it', async () => {
    const { uc, store } = setup();
    const r = await uc.importYear(it_, 2026, cn2026);
    if (!r.ok) throw r.error;
    expect(r.value.data.holidays).to.deep.equal(cn2026.holidays);
    expect(r.value.data.source).to.equal(cn2026.source);
    expect(r.value.data).to.not.have.property('year');

    const bad = await uc.importYear(it_, 2027, {
      year: 2028,
      holidays: [
        { name: 'ok', from: '2027-10-01', to: '2027-10-07' },
        { name: 'overlap', from: '2027-10-07', to: '2027-10-08' },
        { from: '2027-13-01', to: '2027-05-01' },
        { name: 'backwards', from: '2027-05-03', to: '2027-05-01' },
        'x',
      ],
      adjusted_working_days: ['2027-10-04', '2027-09-26', '2027-09-26', '2027-10-02', '2026-12-26'],
    });
    expect(failure(bad).code).to.equal('CALENDAR.INVALID');
    expect(problems(bad)).to.have.members([
      '/year',
      '/holidays/2/from',
      '/holidays/3/to',
      '/holidays/4',
      '/holidays/1',
      '/adjusted_working_days/0',
      '/adjusted_working_days/2',
      '/adjusted_working_days/3',
      '/adjusted_working_days/4',
    ]);
    expect(problems(await uc.importYear(it_, 2027, []))).to.deep.equal(['']);
    expect(problems(await uc.importYear(it_, 2027, { holidays: {} }))).to.deep.equal([
      '/holidays',
      '/adjusted_working_days',
    ]);
    expect(store.puts).to.have.length(1);

    const empty = await uc.importYear(it_, 2027, { holidays: [], adjusted_working_days: [] });
    expect(empty.ok && empty.value.months.reduce((n, m) => n + m.working.length, 0), 'weekends only').to.equal(261);
  });

  it('refuses an edit when the year changed since it was read', async () => {
    const { uc, store } = setup();
    const years = store.years.bind(store);
    store.years = async () => {
      const read = await years();
      store.rows.get(2026)!.data = { ...store.rows.get(2026)!.data, adjusted_working_days: [] };
      return read;
    };
    expect(failure(await uc.addWorkingDay(it_, 2026, '2026-11-21')).code).to.equal('CALENDAR.CHANGED_MEANWHILE');
  });
});
