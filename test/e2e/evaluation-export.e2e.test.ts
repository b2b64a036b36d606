import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { MovableClock } from '../fixtures/movable-clock.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';

/** An instant given as China's civil time. */
const cn = (civil: string) => new Date(`${civil.replace(' ', 'T')}+08:00`);
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/*
 * A constructed 2026, on the shipped 2026 calendar (国庆 10-01..10-07 with 10-10 worked; 中秋
 * 09-25..09-27; 元旦 01-01..01-03 with 01-04 worked). Times are China's. The year runs from
 * 2026-01-01 00:00 to 2027-01-01 00:00 (as-of: the clock is in February 2027, so it is final).
 *
 * Units: 评估甲处 (PA, key eval-a) with items PA-01 在读证明 (online), PA-02 证明,"加急" (offline),
 * PA-03 旧事项 (offline, only 2025 applications: no item row); 评估乙处 (PB, eval-b) with PB-01
 * -减免申请 (online, nothing happened: a row of zeros); 评估丙处 (PC, eval-c) has no item: no row.
 *
 * PA-01:
 *   a1 submitted 09-30 10:00, completed 10-09 15:00: working days after 09-30 up to 10-09 = 10-08,
 *      10-09 -> 2; its task acted before due -> on time. Rated 5 (10-10). Follow-up f5 withdrawn.
 *   a2 submitted 09-24 09:00 (Thu), completed 10-12 11:00: 09-28, 09-29, 09-30, 10-08, 10-09,
 *      10-10 (make-up Saturday), 10-12 -> 7 (09-25..27 and 10-01..07 are holidays, 10-11 a Sunday);
 *      its task due 10-09 23:59:59, acted 10-12 -> late: not on time, and an overdue task. Rated 2;
 *      follow-up f1 resolved 10-19, due 10-20 -> on time.
 *   a3 submitted 03-02 09:00, rejected 17:00 the same day -> 0 days, a decision: completed, on time.
 *      Rated 4. Follow-up f3 opened 12-30, resolved 2027-01-05 (before its due 01-08, but after
 *      as-of) -> not on time.
 *   a4 submitted 12-31 20:00, completed 2027-01-04 -> received, not completed by as-of; its task due
 *      12-31 23:00, acted 2027-01-04 -> overdue. Urged 2027-01-02 -> not counted.
 *   a5 submitted 06-01, withdrawn 06-02 -> received, not completed; its task cancelled -> not overdue.
 *   a6 submitted 11-02, in progress: open task due 11-04 -> overdue; a waiting task due 2027-01-10 ->
 *      not counted. Urged 11-05 and 11-06 -> 2.
 *   a10 submitted 2027-01-02 (after as-of): nothing counts, nor its open task due 2027-01-03.
 *   a11 a draft (never submitted): nothing counts.
 * PA-02:
 *   a7 submitted 01-01 00:00:00 exactly (in the year), completed 01-05 10:00: 01-04 (make-up Sunday),
 *      01-05 -> 2 days; on time. Urged 01-01 00:00:00 -> 1. Rated 1 (01-06); follow-up f2 due
 *      01-13, resolved 01-15 -> late.
 *   a8 submitted 2025-12-31 23:59:59 (the year before): not received; but its task due 01-02,
 *      acted 01-03 is overdue in 2026. Urged 2025-12-31 20:00 -> not counted. Rated 3 at
 *      2027-01-01 00:00 exactly (= as-of) -> not counted; its follow-up f4 likewise.
 * PA-03: a9 in 2025 only.
 *
 * Hand-worked figures:
 *   PA-01: received 6; completed 3 (a1, a2, a3) -> 办结率 0.5; on time 2 -> 0.6667; days 2, 7, 0:
 *          total 9, average 3, p90 (nearest rank, 3rd of 3) 7; overdue tasks 3 (a2, a4, a6);
 *          urges 2; ratings [0,1,0,1,1], rated 3, 满意率 2/3 = 0.6667; follow-ups 3 (f1, f3, f5),
 *          on time 1 -> 0.3333.
 *   PA-02: received 1; completed 1 -> 1; on time 1 -> 1; days 2, average 2, p90 2; overdue 1 (a8);
 *          urges 1; ratings [1,0,0,0,0], 满意率 0; follow-ups 1, on time 0 -> 0.
 *   PA (unit) = university: received 7; completed 4 -> 4/7 = 0.5714; on time 3 -> 0.75; days 0, 2,
 *          2, 7: total 11, average 2.75, p90 (4th of 4) 7; overdue 4; urges 3; ratings
 *          [1,1,0,1,1], rated 4, 满意率 0.5; follow-ups 4, on time 1 -> 0.25.
 *   PB and PB-01: zeros, every rate empty.
 */
describe('年度效能评估 annual evaluation export (e2e)', () => {
  let t: TestApp;
  const clock = new MovableClock(new Date('2027-02-01T02:00:00Z'));
  const ids: Record<string, string> = {};
  const id = (k: string) => (ids[k] ??= globalThis.crypto.randomUUID());

  async function item(key: string, unit: string, code: string, name: string, state: string) {
    const at = new Date('2025-01-01T00:00:00Z');
    await t.db.knex('service_items').insert({
      id: id(key),
      code,
      name,
      owning_unit: unit,
      involved_units: [],
      description: name,
      offline_procedure: '窗口办理',
      state,
      created_by: 'T0001',
      created_at: at,
      updated_at: at,
    });
    await t.db.knex('service_versions').insert({
      id: id(`${key}-v1`),
      item_id: id(key),
      number: 1,
      state: state === 'online' ? 'online' : 'retired',
      definition: null,
      created_by: 'T0001',
      created_at: at,
      updated_at: at,
    });
  }
  async function app(key: string, itemKey: string, state: string, submitted: Date | null, ended: Date | null) {
    const at = submitted ?? new Date('2026-05-01T00:00:00Z');
    await t.db.knex('applications').insert({
      id: id(key),
      item_id: id(itemKey),
      version_id: id(`${itemKey}-v1`),
      owning_unit: 'eval-a',
      applicant_id: '2024110101',
      applicant: JSON.stringify({ id: '2024110101', name: '张三' }),
      form: JSON.stringify({}),
      state,
      created_at: at,
      updated_at: ended ?? at,
      submitted_at: submitted,
      ended_at: ended,
    });
  }
  let taskOrder = 0;
  async function task(appKey: string, status: string, due: Date | null, acted: Date | null) {
    await t.db.knex('tasks').insert({
      id: globalThis.crypto.randomUUID(),
      application_id: id(appKey),
      node_key: 'review',
      activation: 1,
      status,
      order: taskOrder++,
      created_at: new Date('2025-06-01T00:00:00Z'),
      due_at: due,
      acted_at: acted,
      owning_unit: 'eval-a',
    });
  }
  const seqs: Record<string, number> = {};
  async function history(appKey: string, action: string, at: Date) {
    seqs[appKey] = (seqs[appKey] ?? 0) + 1;
    await t.db
      .knex('application_history')
      .insert({ application_id: id(appKey), seq: seqs[appKey], at, actor: '2024110101', action });
  }
  async function rating(appKey: string, itemKey: string, level: number, at: Date) {
    await t.db.knex('evaluations').insert({
      application_id: id(appKey),
      item_id: id(itemKey),
      owning_unit: 'eval-a',
      applicant_id: '2024110101',
      level,
      created_at: at,
      updated_at: at,
    });
  }
  async function followUp(
    appKey: string,
    itemKey: string,
    status: string,
    created: Date,
    due: Date,
    closed: Date | null,
  ) {
    await t.db.knex('follow_ups').insert({
      id: globalThis.crypto.randomUUID(),
      application_id: id(appKey),
      item_id: id(itemKey),
      owning_unit: 'eval-a',
      level: 2,
      status,
      due_at: due,
      created_at: created,
      closed_at: closed,
    });
  }

  before(async function () {
    this.timeout(60_000);
    t = await createTestApp(() => ({ clock }));
    await t.db.knex('units').insert([
      { key: 'eval-a', code: 'PA', name: '评估甲处', kind: 'office' },
      { key: 'eval-b', code: 'PB', name: '评估乙处', kind: 'office' },
      { key: 'eval-c', code: 'PC', name: '评估丙处', kind: 'office' },
    ]);
    await item('A1', 'eval-a', 'PA-01', '在读证明', 'online');
    await item('A2', 'eval-a', 'PA-02', '证明,"加急"', 'offline');
    await item('A3', 'eval-a', 'PA-03', '旧事项', 'offline');
    await item('B1', 'eval-b', 'PB-01', '-减免申请', 'online');

    await app('a1', 'A1', 'completed', cn('2026-09-30 10:00'), cn('2026-10-09 15:00'));
    await task('a1', 'done', cn('2026-10-08 23:59:59'), cn('2026-10-08 10:00'));
    await app('a2', 'A1', 'completed', cn('2026-09-24 09:00'), cn('2026-10-12 11:00'));
    await task('a2', 'done', cn('2026-10-09 23:59:59'), cn('2026-10-12 10:00'));
    await app('a3', 'A1', 'rejected', cn('2026-03-02 09:00'), cn('2026-03-02 17:00'));
    await task('a3', 'done', cn('2026-03-04 23:59:59'), cn('2026-03-02 16:00'));
    await app('a4', 'A1', 'completed', cn('2026-12-31 20:00'), cn('2027-01-04 10:00'));
    await task('a4', 'done', cn('2026-12-31 23:00'), cn('2027-01-04 09:00'));
    await app('a5', 'A1', 'withdrawn', cn('2026-06-01 10:00'), cn('2026-06-02 10:00'));
    await task('a5', 'cancelled', cn('2026-06-05 23:59:59'), null);
    await app('a6', 'A1', 'in_progress', cn('2026-11-02 09:00'), null);
    await task('a6', 'open', cn('2026-11-04 23:59:59'), null);
    await task('a6', 'waiting', cn('2027-01-10 23:59:59'), null);
    await app('a10', 'A1', 'in_progress', cn('2027-01-02 09:00'), null);
    await task('a10', 'open', cn('2027-01-03 12:00'), null);
    await app('a11', 'A1', 'draft', null, null);
    await app('a7', 'A2', 'completed', cn('2026-01-01 00:00:00'), cn('2026-01-05 10:00'));
    await task('a7', 'done', cn('2026-01-06 23:59:59'), cn('2026-01-05 09:00'));
    await app('a8', 'A2', 'completed', cn('2025-12-31 23:59:59'), cn('2026-01-03 12:00'));
    await task('a8', 'done', cn('2026-01-02 10:00'), cn('2026-01-03 11:00'));
    await app('a9', 'A3', 'completed', cn('2025-06-01 09:00'), cn('2025-06-03 09:00'));
    await task('a9', 'done', cn('2025-06-02 09:00'), cn('2025-06-03 09:00'));

    await history('a6', 'submitted', cn('2026-11-02 09:00'));
    await history('a6', 'urged', cn('2026-11-05 10:00'));
    await history('a6', 'urged', cn('2026-11-06 10:00'));
    await history('a4', 'urged', cn('2027-01-02 10:00'));
    await history('a8', 'urged', cn('2025-12-31 20:00'));
    await history('a7', 'urged', cn('2026-01-01 00:00:00'));

    await rating('a1', 'A1', 5, cn('2026-10-10 09:00'));
    await rating('a2', 'A1', 2, cn('2026-10-13 09:00'));
    await rating('a3', 'A1', 4, cn('2026-03-03 09:00'));
    await rating('a7', 'A2', 1, cn('2026-01-06 09:00'));
    await rating('a8', 'A2', 3, cn('2027-01-01 00:00:00'));

    await followUp('a2', 'A1', 'resolved', cn('2026-10-13 09:00'), cn('2026-10-20 23:59:59'), cn('2026-10-19 10:00'));
    await followUp('a7', 'A2', 'resolved', cn('2026-01-06 09:00'), cn('2026-01-13 23:59:59'), cn('2026-01-15 10:00'));
    await followUp('a3', 'A1', 'resolved', cn('2026-12-30 09:00'), cn('2027-01-08 23:59:59'), cn('2027-01-05 10:00'));
    await followUp('a8', 'A2', 'open', cn('2027-01-01 00:00:00'), cn('2027-01-08 23:59:59'), null);
    await followUp('a1', 'A1', 'withdrawn', cn('2026-10-11 09:00'), cn('2026-10-20 23:59:59'), cn('2026-10-12 09:00'));
  });

  after(async () => {
    await t?.close();
  });

  const unitA = {
    received: 7,
    completed: 4,
    completionRate: 0.5714,
    onTime: 3,
    onTimeRate: 0.75,
    handlingDaysTotal: 11,
    handlingDaysAverage: 2.75,
    handlingDaysP90: 7,
    overdueTasks: 4,
    urges: 3,
    ratings: [1, 1, 0, 1, 1],
    rated: 4,
    satisfactionRate: 0.5,
    followUps: 4,
    followUpsOnTime: 1,
    followUpOnTimeRate: 0.25,
  };
  const itemA1 = {
    received: 6,
    completed: 3,
    completionRate: 0.5,
    onTime: 2,
    onTimeRate: 0.6667,
    handlingDaysTotal: 9,
    handlingDaysAverage: 3,
    handlingDaysP90: 7,
    overdueTasks: 3,
    urges: 2,
    ratings: [0, 1, 0, 1, 1],
    rated: 3,
    satisfactionRate: 0.6667,
    followUps: 3,
    followUpsOnTime: 1,
    followUpOnTimeRate: 0.3333,
  };
  const itemA2 = {
    received: 1,
    completed: 1,
    completionRate: 1,
    onTime: 1,
    onTimeRate: 1,
    handlingDaysTotal: 2,
    handlingDaysAverage: 2,
    handlingDaysP90: 2,
    overdueTasks: 1,
    urges: 1,
    ratings: [1, 0, 0, 0, 0],
    rated: 1,
    satisfactionRate: 0,
    followUps: 1,
    followUpsOnTime: 0,
    followUpOnTimeRate: 0,
  };
  const zeros = {
    received: 0,
    completed: 0,
    completionRate: null,
    onTime: 0,
    onTimeRate: null,
    handlingDaysTotal: 0,
    handlingDaysAverage: null,
    handlingDaysP90: null,
    overdueTasks: 0,
    urges: 0,
    ratings: [0, 0, 0, 0, 0],
    rated: 0,
    satisfactionRate: null,
    followUps: 0,
    followUpsOnTime: 0,
    followUpOnTimeRate: null,
  };

  it('counts every figure of the constructed year as worked out by hand', async () => {
    const res = await as(t, 'auditor').get('/api/v1/evaluation-figures?year=2026');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const body = res.body;
    expect(body.asOf).to.equal('2026-12-31T16:00:00.000Z');
    expect(body.provisional).to.equal(false);
    expect(body.university).to.deep.equal(unitA);
    const units = Object.fromEntries(
      (body.units as Array<{ unit: { code: string }; figures: unknown }>).map((u) => [u.unit.code, u.figures]),
    );
    expect(units.PA).to.deep.equal(unitA);
    expect(units.PB).to.deep.equal(zeros);
    expect(units).not.to.have.property('PC');
    const items = Object.fromEntries(
      (body.items as Array<{ item: { code: string }; figures: unknown }>).map((i) => [i.item.code, i.figures]),
    );
    expect(items['PA-01']).to.deep.equal(itemA1);
    expect(items['PA-02']).to.deep.equal(itemA2);
    expect(items['PB-01']).to.deep.equal(zeros);
    expect(items).not.to.have.property('PA-03');
  });

  it('gives zeros, not nulls, for a year where nothing happened at all', async () => {
    const res = await as(t, 'auditor').get('/api/v1/evaluation-figures?year=2024');
    expect(res.status).to.equal(200);
    expect(res.body.university).to.deep.equal(zeros);
  });

  it('restricted to one unit, leaves the university out', async () => {
    const res = await as(t, 'xb-officer').get('/api/v1/evaluation-figures?year=2026&unit=eval-a');
    expect(res.status).to.equal(200);
    expect(res.body.university).to.equal(null);
    expect(res.body.unit).to.deep.equal({ key: 'eval-a', code: 'PA', name: '评估甲处' });
    expect(res.body.units.map((u: { unit: { code: string } }) => u.unit.code)).to.deep.equal(['PA']);
    expect(res.body.units[0].figures).to.deep.equal(unitA);
    expect(res.body.items.map((i: { item: { code: string } }) => i.item.code)).to.deep.equal(['PA-01', 'PA-02']);
  });

  it('is provisional, cut off at now, while the year is not over', async () => {
    const saved = clock.at;
    clock.at = cn('2026-10-10 12:00'); // a1 and a7 and a3 have completed; a2 not yet
    try {
      const res = await as(t, 'auditor').get('/api/v1/evaluation-figures?year=2026&unit=eval-a');
      expect(res.status).to.equal(200);
      expect(res.body.provisional).to.equal(true);
      expect(res.body.asOf).to.equal(cn('2026-10-10 12:00').toISOString());
      const f = res.body.units[0].figures;
      // received by then: a1, a2, a3, a5, a7 (a4 and a6 later); completed: a1, a3, a7
      expect([f.received, f.completed, f.handlingDaysTotal]).to.deep.equal([5, 3, 4]);
      // ratings by then: a3 (4), a7 (1), a1 (5 at 10-10 09:00)
      expect(f.ratings).to.deep.equal([1, 0, 0, 1, 1]);
    } finally {
      clock.at = saved;
      // sessions slid while the clock was back in 2026
      t.forgetLogins();
    }
  });

  async function exportAs(who: string, body: Record<string, unknown>): Promise<request.Response> {
    const token = await t.login(who);
    return request(t.app)
      .post('/api/v1/evaluation-exports')
      .set('Authorization', `Bearer ${token}`)
      .send(body)
      .buffer(true)
      .parse(binary);
  }

  it('exports an XLSX that is byte-identical when exported again later, and files both exports with audit entries', async () => {
    const first = await exportAs('xb-officer', { year: 2026, format: 'xlsx' });
    expect(first.status, first.body.toString()).to.equal(201);
    // later by the hall's clock and by the wall clock JSZip dates zip entries with (2-second resolution)
    clock.advanceSeconds(120);
    await new Promise((r) => setTimeout(r, 2_100));
    const second = await exportAs('it-officer', { year: 2026, format: 'xlsx' });
    expect(second.status).to.equal(201);
    const a = first.body as Buffer;
    const b = second.body as Buffer;
    expect(a.length).to.be.greaterThan(1000);
    expect(Buffer.compare(a, b)).to.equal(0);

    expect(first.headers['content-type']).to.match(/spreadsheetml\.sheet/);
    expect(first.headers['content-disposition']).to.equal('attachment; filename="evaluation-2026.xlsx"');
    const sha = createHash('sha256').update(a).digest();
    expect(first.headers['repr-digest']).to.equal(`sha-256=:${sha.toString('base64')}:`);

    const filing = await as(t, 'auditor').get(first.headers.location as string);
    expect(filing.status).to.equal(200);
    expect(filing.body).to.include({
      year: 2026,
      unit: null,
      format: 'xlsx',
      asOf: '2026-12-31T16:00:00.000Z',
      provisional: false,
      sha256: sha.toString('hex'),
      size: a.length,
      exportedBy: 'T0001',
    });
    const list = await as(t, 'auditor').get('/api/v1/evaluation-exports?year=2026');
    expect(list.status).to.equal(200);
    expect(list.body.items.map((i: { exportedBy: string }) => i.exportedBy)).to.deep.equal(['T0002', 'T0001']);
    const audit = await t.db
      .knex('audit_log')
      .where({ action: 'evaluation.exported', entity_type: 'evaluation-export' })
      .orderBy('seq');
    expect(audit.map((r: { actor_id: string; entity_id: string }) => [r.actor_id, r.entity_id])).to.deep.equal([
      ['T0001', filing.body.id],
      ['T0002', list.body.items[0].id],
    ]);

    // read back: the sheets, the Chinese headers, the figures, the as-of in the document properties
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(a as never);
    expect(wb.worksheets.map((w) => w.name)).to.deep.equal(['全校', '单位', '事项', '指标说明']);
    expect(wb.created.toISOString()).to.equal('2026-12-31T16:00:00.000Z');
    const values = (sheet: string, row: number) => (wb.getWorksheet(sheet)!.getRow(row).values as unknown[]).slice(1);
    expect(values('全校', 1).slice(0, 3)).to.deep.equal(['受理量', '办结量', '办结率']);
    expect(values('全校', 2).slice(0, 3)).to.deep.equal([7, 4, 0.5714]);
    expect(values('单位', 1).slice(0, 3)).to.deep.equal(['单位代码', '单位名称', '受理量']);
    expect(values('单位', 2).slice(0, 3)).to.deep.equal(['PA', '评估甲处', 7]);
    expect(values('事项', 1).slice(0, 5)).to.deep.equal(['单位代码', '单位名称', '事项编码', '事项名称', '受理量']);
    expect(values('事项', 3).slice(0, 5)).to.deep.equal(['PA', '评估甲处', 'PA-02', '证明,"加急"', 1]);
    expect(wb.getWorksheet('全校')!.getColumn(3).numFmt).to.equal('0.00%');
    expect(values('指标说明', 1)).to.deep.equal(['年度', '2026']);
  });

  it('exports a CSV: BOM, CRLF, a 层级 column, Chinese headers, quoted and defused item names', async () => {
    const res = await exportAs('xb-officer', { year: 2026, format: 'csv' });
    expect(res.status).to.equal(201);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).to.equal(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(lines.every((l) => !l.includes('\n'))).to.equal(true);
    const rows = lines.map(parseCsvLine);
    expect(rows[0]!.slice(0, 9)).to.deep.equal([
      '层级',
      '单位代码',
      '单位名称',
      '事项编码',
      '事项名称',
      '受理量',
      '办结量',
      '办结率',
      '按时办结量',
    ]);
    const byKey = new Map(rows.slice(1).map((r) => [`${r[0]}/${r[3] || r[1]}`, r]));
    expect(byKey.get('全校/')!.slice(5, 8)).to.deep.equal(['7', '4', '0.5714']);
    expect(byKey.get('单位/PA')!.slice(5, 8)).to.deep.equal(['7', '4', '0.5714']);
    expect(byKey.get('单位/PB')!.slice(5, 8)).to.deep.equal(['0', '0', '']);
    expect(byKey.get('事项/PA-02')![4]).to.equal('证明,"加急"');
    // a name that would start a formula is prefixed with an apostrophe
    expect(byKey.get('事项/PB-01')![4]).to.equal("'-减免申请");
    expect(text).to.include('"证明,""加急"""');
  });

  it('refuses bad input with a problem naming every field, and a student', async () => {
    const bad = await as(t, 'xb-officer').post('/api/v1/evaluation-exports', { year: 1999, format: 'pdf' });
    expect(bad.status).to.equal(400);
    expect(bad.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).to.deep.equal(['/format', '/year']);
    const future = await as(t, 'xb-officer').post('/api/v1/evaluation-exports', { year: 2029, format: 'xlsx' });
    expect(future.status).to.equal(400);
    expect(future.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/year']);
    const unit = await as(t, 'xb-officer').post('/api/v1/evaluation-exports', { year: 2026, unit: 'nowhere' });
    expect(unit.status).to.equal(400);
    expect(unit.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/unit']);
    const query = await as(t, 'auditor').get('/api/v1/evaluation-figures?year=abc&unit=');
    expect(query.status).to.equal(400);
    expect(query.body.errors.map((e: { path: string; in: string }) => `${e.in}${e.path}`).sort()).to.deep.equal([
      'query/unit',
      'query/year',
    ]);
    const before = await t.db.knex('evaluation_exports').count<Array<{ count: string }>>('* as count');
    const student = await as(t, 'student-xx').post('/api/v1/evaluation-exports', { year: 2026 });
    expect(student.status).to.equal(403);
    expect((await as(t, 'student-xx').get('/api/v1/evaluation-figures?year=2026')).status).to.equal(403);
    expect((await as(t, 'auditor').post('/api/v1/evaluation-exports', { year: 2026 })).status).to.equal(403);
    const after = await t.db.knex('evaluation_exports').count<Array<{ count: string }>>('* as count');
    expect(after).to.deep.equal(before);
  });
});

/** One RFC 4180 line (no line breaks inside fields, which the export never writes). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else v += line[i++];
      }
      out.push(v);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}
