import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CalendarYearView } from '../../src/application/calendar/working-calendar.use-case.js';
import { setEnv } from '../fixtures/process-env.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('not within the time allowed');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `hall calendar …` in process, against the same database as a running API container. */
describe('hall calendar (in process)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let dir: string;
  const env = {
    DATABASE_URL: '',
    SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'development',
  };
  let restoreEnv = () => {};
  before(async () => {
    t = await createTestApp();
    dir = await mkdtemp(path.join(tmpdir(), 'hall-calendar-'));
    restoreEnv = setEnv({ ...env, DATABASE_URL: t.db.url });
  });
  after(async () => {
    restoreEnv();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const hall = (...args: string[]) => runCommand(args, { root });
  const api = () => t.container.ports.calendar;

  it('show lists the shipped 2026 arrangement by month, with --json; no operator needed', async () => {
    const { stdout, error } = await hall('calendar', 'show', '2026');
    expect(error, String(error?.message)).to.equal(undefined);
    expect(stdout).to.contain('2026 calendar — shipped');
    expect(stdout).to.match(/2026-10-01 \.\. 2026-10-07 +7 day\(s\) off +国庆节 National Day/);
    expect(stdout).to.contain('2026-10-10 Saturday');
    expect(stdout).to.contain('  Oct  working 18: 8-10 12-16 19-23 26-30');
    expect(stdout).to.contain('       rest    13: 1-7 11 17-18 24-25 31');
    expect(stdout).to.contain('248 working days in 2026');
    const json = JSON.parse((await hall('calendar', 'show', '2026', '--json')).stdout) as CalendarYearView;
    expect(json.data.adjusted_working_days).to.deep.equal([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(json.months.map((m) => m.month)).to.have.length(12);
    const none = await hall('calendar', 'show', '2031');
    expect(none.error?.oclif?.exit).to.equal(2);
    expect(none.error?.message).to.contain('CALENDAR.YEAR_NOT_FOUND');
  });

  it('holiday adds days off, audited with the operator, and the running API hears of it', async () => {
    expect(api().isWorkingDay('2026-11-20')).to.equal(true);
    const { stdout, error } = await hall(
      'calendar',
      'holiday',
      '2026',
      '--operator',
      'T0002',
      '--from',
      '2026-11-20',
      '--name',
      '校庆',
    );
    expect(error, String(error?.message)).to.equal(undefined);
    expect(stdout).to.contain('added 校庆 2026-11-20 to the 2026 calendar');
    await eventually(() => !api().isWorkingDay('2026-11-20'));
    const audit = await t.db.knex('audit_log').where({ action: 'calendar.holiday-added', entity_id: '2026' }).first();
    expect(audit.actor_id).to.equal('T0002');
    expect(audit.request_id).to.match(/^cli-/);
  });

  it('holiday refuses overlaps, make-up clashes and bad dates (exit 2, every reason)', async () => {
    const overlap = await hall(
      'calendar',
      'holiday',
      '2026',
      '--operator',
      'T0002',
      '--from',
      '2026-10-05',
      '--to',
      '2026-10-12',
      '--name',
      'x',
    );
    expect(overlap.error?.oclif?.exit).to.equal(2);
    expect(overlap.error?.message).to.contain('CALENDAR.HOLIDAY_OVERLAPS');
    const clash = await hall(
      'calendar',
      'holiday',
      '2026',
      '--operator',
      'T0002',
      '--from',
      '2026-10-09',
      '--to',
      '2026-10-11',
      '--name',
      'x',
    );
    expect(clash.error?.message).to.contain('CALENDAR.MAKE_UP_DAY_CLASH');
    const bad = await hall(
      'calendar',
      'holiday',
      '2026',
      '--operator',
      'T0002',
      '--from',
      '2026-02-30',
      '--to',
      '2027-01-01',
      '--name',
      'x',
    );
    expect(bad.error?.oclif?.exit).to.equal(2);
    expect(bad.error?.message).to.contain('"2026-02-30" is not a date (YYYY-MM-DD)');
    expect(bad.error?.message).to.contain('2027-01-01 is not in 2026');
  });

  it('workday makes a weekend day a make-up working day; a weekday or a holiday is refused', async () => {
    const ok = await hall('calendar', 'workday', '2026', '2026-11-21', '--operator', 'T0002');
    expect(ok.error, String(ok.error?.message)).to.equal(undefined);
    expect(ok.stdout).to.contain('2026-11-21 (Saturday) is now a make-up working day (调休上班)');
    await eventually(() => api().isWorkingDay('2026-11-21'));
    const weekday = await hall('calendar', 'workday', '2026', '2026-11-23', '--operator', 'T0002');
    expect(weekday.error?.oclif?.exit).to.equal(2);
    expect(weekday.error?.message).to.contain('is a Monday: already a working day');
    const holiday = await hall('calendar', 'workday', '2026', '2026-10-03', '--operator', 'T0002');
    expect(holiday.error?.message).to.contain('CALENDAR.DATE_IS_HOLIDAY');
  });

  it('remove splits a holiday around the date, or drops a make-up day; an unlisted date is refused', async () => {
    const split = await hall('calendar', 'remove', '2026', '2026-10-05', '--operator', 'T0002', '--json');
    expect(split.error, String(split.error?.message)).to.equal(undefined);
    const v = JSON.parse(split.stdout) as CalendarYearView;
    expect(v.data.holidays.filter((h) => h.name === '国庆节 National Day').map((h) => [h.from, h.to])).to.deep.equal([
      ['2026-10-01', '2026-10-04'],
      ['2026-10-06', '2026-10-07'],
    ]);
    await eventually(() => api().isWorkingDay('2026-10-05'));
    const makeUp = await hall('calendar', 'remove', '2026', '2026-11-21', '--operator', 'T0002');
    expect(makeUp.stdout).to.contain('removed 2026-11-21 from the 2026 calendar: it is now a rest day');
    const unlisted = await hall('calendar', 'remove', '2026', '2026-11-25', '--operator', 'T0002');
    expect(unlisted.error?.oclif?.exit).to.equal(2);
    expect(unlisted.error?.message).to.contain('CALENDAR.DATE_NOT_LISTED');
  });

  it('only the IT Office edits', async () => {
    const r = await hall('calendar', 'workday', '2026', '2026-11-28', '--operator', 'T0301');
    expect(r.error?.oclif?.exit).to.equal(2);
    expect(r.error?.message).to.contain('AUTH.FORBIDDEN');
    const none = await hall('calendar', 'workday', '2026', '2026-11-28');
    expect(none.error?.message).to.contain('say who you are');
  });

  it('import replaces a year from a file (year from its name or --year); a bad file changes nothing', async () => {
    const file = path.join(dir, 'CN-2027.json');
    await writeFile(
      file,
      JSON.stringify({
        calendar: 'CN',
        year: 2027,
        source: 'test arrangement',
        holidays: [{ name: '国庆节 National Day', from: '2027-10-01', to: '2027-10-07' }],
        adjusted_working_days: ['2027-09-26', '2027-10-09'],
      }),
    );
    const { stdout, error } = await hall('calendar', 'import', file, '--operator', 'T0002');
    expect(error, String(error?.message)).to.equal(undefined);
    expect(stdout).to.contain('imported the 2027 calendar: 1 holiday(s), 2 make-up working day(s), 258 working days');
    await eventually(() => !api().isWorkingDay('2027-10-04') && api().isWorkingDay('2027-10-09'));
    const listed = JSON.parse((await hall('calendar', 'list', '--json')).stdout) as {
      items: Array<{ year: number; source: string }>;
    };
    expect(listed.items.map((i) => [i.year, i.source])).to.deep.equal([
      [2026, 'edited'],
      [2027, 'edited'],
    ]);

    const bad = path.join(dir, 'arrangement.json');
    await writeFile(
      bad,
      JSON.stringify({
        holidays: [{ name: 'x', from: '2028-01-01', to: '2028-01-03' }],
        adjusted_working_days: ['2028-01-05'],
      }),
    );
    const refused = await hall('calendar', 'import', bad, '--year', '2027', '--operator', 'T0002');
    expect(refused.error?.oclif?.exit).to.equal(2);
    expect(refused.error?.message).to.contain('CALENDAR.INVALID');
    expect(refused.error?.message).to.contain('2028-01-01 is not in 2027');
    expect(refused.error?.message).to.contain('2028-01-05 is not in 2027');
    const noYear = await hall('calendar', 'import', bad, '--operator', 'T0002');
    expect(noYear.error?.oclif?.exit).to.equal(2);
    expect(noYear.error?.message).to.contain('say which year');
    await writeFile(path.join(dir, 'CN-2029.json'), '{ not json');
    const notJson = await hall('calendar', 'import', path.join(dir, 'CN-2029.json'), '--operator', 'T0002');
    expect(notJson.error?.oclif?.exit).to.equal(2);
    expect((await hall('calendar', 'show', '2027', '--json')).stdout).to.contain('test arrangement');
  });

  it('leaves no calendar listener behind once the commands have run', async () => {
    const listeners = async () =>
      Number(
        (
          await t.db.knex.raw(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'service-hall-calendar'`,
          )
        ).rows[0].n,
      );
    const until = Date.now() + 5000;
    while ((await listeners()) > 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(await listeners(), "only the API container's own").to.equal(1);
  });
});
