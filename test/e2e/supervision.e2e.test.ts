import { expect } from 'chai';
import request from 'supertest';
import { MovableClock } from '../fixtures/movable-clock.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, goodForm, reimbursement, type AppBody } from './application-helpers.js';

const HOUR = 3_600_000;

/** A logistics-owned item: a pool review by the logistics handlers, then 高后勤 (T0602) completes. */
const repair = {
  form: {
    type: 'object',
    required: ['amount', 'purpose'],
    properties: { amount: { type: 'number' }, purpose: { type: 'string' } },
  },
  nodes: [
    { key: 'apply', kind: 'start', name: '提交申请' },
    {
      key: 'check',
      kind: 'review',
      name: '后勤审核',
      handlers: { type: 'role', role: 'handler', unit: 'logistics' },
      timeLimit: { workingDays: 1 },
    },
    {
      key: 'done',
      kind: 'complete',
      name: '办结',
      handlers: { type: 'people', people: ['T0602'] },
      timeLimit: { hours: 8 },
    },
  ],
};

async function logisticsItem(t: TestApp): Promise<string> {
  const created = await as(t, 'hq-admin').post('/api/v1/service-items', {
    code: 'HQ-SUP',
    name: '宿舍维修',
    owningUnit: 'logistics',
    involvedUnits: [],
    description: '学生宿舍报修',
    offlineProcedure: '到后勤服务中心窗口登记。',
  });
  const itemId = created.body.id as string;
  await as(t, 'xb-officer').post(`/api/v1/service-items/${itemId}/approvals`);
  await as(t, 'it-officer').post(`/api/v1/service-items/${itemId}/approvals`);
  const v = await as(t, 'hq-admin').put(`/api/v1/service-items/${itemId}/draft/definition`, repair);
  if (v.status !== 200) throw new Error(`define HQ-SUP: ${JSON.stringify(v.body)}`);
  await as(t, 'hq-admin').post(`/api/v1/service-items/${itemId}/versions/${v.body.id}/confirmations`);
  const launched = await as(t, 'hq-admin').post(`/api/v1/service-items/${itemId}/versions/${v.body.id}/launch`);
  if (launched.status !== 200) throw new Error(`launch HQ-SUP: ${JSON.stringify(launched.body)}`);
  return itemId;
}

/** Who acts on a task: named people by id, pool tasks by a member of the pool (who claims first). */
const ACCOUNT: Record<string, string> = {
  T0302: 'cw-handler',
  T0101: 'jw-admin',
  T0102: 'jw-handler',
  T0602: 'hq-handler',
};
const POOL_MEMBER: Record<string, string> = { 'handler@finance': 'cw-handler', 'handler@logistics': 'hq-handler' };

interface TaskRow {
  id: string;
  node_key: string;
  assignee: string | null;
  candidate_role: string | null;
  candidate_unit: string | null;
  status: string;
}

/** Expected rows of zero figures for the units the scenario leaves alone. */
const UNITS: Record<string, { code: string; name: string }> = {
  'academic-affairs': { code: 'JW', name: '教务处' },
  'college-info': { code: 'XX', name: '信息学院' },
  'college-marine': { code: 'HK', name: '海洋科学学院' },
  'it-center': { code: 'XJZX', name: '现代信息与教育技术中心' },
  'it-office': { code: 'XXB', name: '信息化管理办公室' },
  'president-office': { code: 'XB', name: '校长办公室' },
  'student-affairs': { code: 'XG', name: '学生工作部（处）' },
};

/*
 * The constructed scenario. Every application is submitted at the clock's instant; the engine's
 * due dates are then overwritten in the database (tasks.due_at, follow_ups.due_at) to exact offsets
 * from that instant, so the figures do not depend on the working calendar. The clock then moves to
 * show that "now" comes from the Clock port.
 *
 * finance (CW-SUP, owned by finance; the countersign is by two academic-affairs people, sequential):
 *   F1 check, unclaimed in pool handler@finance, due -30h      -> open, overdue
 *   F8 check, unclaimed in pool handler@finance, no due date   -> open, never overdue
 *   F2 check, claimed by 孙财务 T0302, due -5h                  -> open, overdue
 *   F3 check, claimed by T0302, due +10h                       -> open
 *   F9 check, claimed by T0302, due -1.5h                      -> open, overdue
 *   F4 sign, 陈教务 T0101 open due -50.5h (oldest overdue, 50 whole hours);
 *      吴… T0102 'waiting' due -100h                            -> counts once; the waiting one not at all
 *   F5, F6, F7 completed: their done tasks set due -200h       -> not counted
 *   follow-ups: F5 rated 1, due -24h (overdue); F6 rated 2, due +48h; F7 rated 2, resolved, due -100h (not counted)
 * logistics (HQ-SUP):
 *   L1 check, unclaimed in pool handler@logistics, due +3h     -> open
 *   L2 check, claimed by 高后勤 T0602, due -2h                  -> open, overdue
 *   L3 completed, rated 1, follow-up due -10h                  -> follow-up overdue
 */
describe('督办 supervision (e2e)', () => {
  let t: TestApp;
  const clock = new MovableClock();
  let now: Date;
  const at = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString();
  let cw: { id: string; code: string; name: string };
  let hq: { id: string; code: string; name: string };
  const apps: Record<string, AppBody> = {};
  const tasks: Record<string, string> = {};
  const followUps: Record<string, string> = {};

  const openTasks = (applicationId: string) =>
    t.db.knex('tasks').where({ application_id: applicationId, status: 'open' }).orderBy('order') as Promise<TaskRow[]>;
  const setDue = (taskId: string, hours: number | null) =>
    t.db
      .knex('tasks')
      .where({ id: taskId })
      .update({ due_at: hours === null ? null : at(hours) });

  async function ok(res: Promise<request.Response>): Promise<request.Response> {
    const r = await res;
    if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r;
  }
  /** The application's single open task, claimed by a pool member when it is a pool task. */
  async function claimed(applicationId: string): Promise<string> {
    const [task] = await openTasks(applicationId);
    if (!task) throw new Error('no open task');
    if (!task.assignee)
      await ok(act(t, POOL_MEMBER[`${task.candidate_role}@${task.candidate_unit}`]!, task.id, 'claim'));
    return task.id;
  }
  /** Approves every open task in turn until the application completes. */
  async function complete(applicationId: string): Promise<void> {
    for (let task = (await openTasks(applicationId))[0]; task; task = (await openTasks(applicationId))[0]) {
      const who = task.assignee
        ? ACCOUNT[task.assignee]!
        : POOL_MEMBER[`${task.candidate_role}@${task.candidate_unit}`]!;
      if (!task.assignee) await ok(act(t, who, task.id, 'claim'));
      await ok(act(t, who, task.id, 'approve'));
    }
    expect((await t.db.knex('applications').where({ id: applicationId }).first('state')).state).to.equal('completed');
    await t.db
      .knex('tasks')
      .where({ application_id: applicationId })
      .update({ due_at: at(-200) });
  }
  async function rate(key: string, who: string, level: number): Promise<void> {
    const res = await ok(as(t, who).put(`/api/v1/applications/${apps[key]!.id}/evaluation`, { level }));
    followUps[key] = res.body.followUp.id as string;
  }
  const setFollowUpDue = (key: string, hours: number) =>
    t.db
      .knex('follow_ups')
      .where({ id: followUps[key]! })
      .update({ due_at: at(hours) });

  before(async () => {
    t = await createTestApp(() => ({ clock }));
    now = clock.now();
    cw = {
      id: (await onlineItem(t, 'CW-SUP', reimbursement('sequential'))).itemId,
      code: 'CW-SUP',
      name: '差旅费报销',
    };
    hq = { id: await logisticsItem(t), code: 'HQ-SUP', name: '宿舍维修' };

    for (const k of ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9']) apps[k] = await apply(t, cw.id);
    for (const k of ['L1', 'L2', 'L3']) apps[k] = await apply(t, hq.id, 'student-hk', goodForm);
    const id = (k: string) => apps[k]!.id;

    tasks.F1 = (await openTasks(id('F1')))[0]!.id;
    tasks.F8 = (await openTasks(id('F8')))[0]!.id;
    tasks.L1 = (await openTasks(id('L1')))[0]!.id;
    for (const k of ['F2', 'F3', 'F9', 'L2']) tasks[k] = await claimed(id(k));
    // F4: the finance check approved; the sequential countersign opens T0101's task, T0102's waits
    await ok(act(t, 'cw-handler', await claimed(id('F4')), 'approve'));
    const sign = (await t.db
      .knex('tasks')
      .where({ application_id: id('F4'), node_key: 'sign' })
      .orderBy('order')) as TaskRow[];
    expect(sign.map((x) => [x.assignee, x.status])).to.deep.equal([
      ['T0101', 'open'],
      ['T0102', 'waiting'],
    ]);
    tasks.F4 = sign[0]!.id;
    tasks.F4waiting = sign[1]!.id;
    for (const k of ['F5', 'F6', 'F7', 'L3']) await complete(id(k));

    await rate('F5', 'student-xx', 1);
    await rate('F6', 'student-xx', 2);
    await rate('F7', 'student-xx', 2);
    await rate('L3', 'student-hk', 1);
    await ok(as(t, 'cw-admin').post(`/api/v1/follow-ups/${followUps.F7}/resolution`, { resolution: '已约谈经办人' }));

    for (const [k, hours] of [
      ['F1', -30],
      ['F8', null],
      ['F2', -5],
      ['F3', 10],
      ['F9', -1.5],
      ['F4', -50.5],
      ['F4waiting', -100],
      ['L1', 3],
      ['L2', -2],
    ] as const) {
      await setDue(tasks[k]!, hours);
    }
    for (const [k, hours] of [
      ['F5', -24],
      ['F6', 48],
      ['F7', -100],
      ['L3', -10],
    ] as const)
      await setFollowUpDue(k, hours);
  });
  after(async () => {
    await t.close();
  });

  const item = (i: { id: string; code: string; name: string }) => ({ id: i.id, code: i.code, name: i.name });

  function financeExpected() {
    const oldestOverdue = {
      taskId: tasks.F4,
      applicationId: apps.F4!.id,
      caseNumber: apps.F4!.caseNumber,
      serviceItem: item(cw),
      nodeKey: 'sign',
      holder: { personId: 'T0101', name: '陈教务', pool: null },
      dueAt: at(-50.5),
      overdueHours: 50,
    };
    const followUpFigures = {
      open: 2,
      overdue: 1,
      oldestOverdue: {
        followUpId: followUps.F5,
        applicationId: apps.F5!.id,
        caseNumber: apps.F5!.caseNumber,
        serviceItem: item(cw),
        level: 1,
        dueAt: at(-24),
        overdueHours: 24,
      },
    };
    return {
      summary: {
        unit: { key: 'finance', code: 'CW', name: '财务处' },
        openTasks: 6,
        overdueTasks: 4,
        oldestOverdue,
        followUps: followUpFigures,
      },
      byHandler: [
        { personId: 'T0302', name: '孙财务', pool: null, open: 3, overdue: 2, oldestDueAt: at(-5) },
        {
          personId: null,
          name: null,
          pool: { role: 'handler', unit: 'finance' },
          open: 2,
          overdue: 1,
          oldestDueAt: at(-30),
        },
        { personId: 'T0101', name: '陈教务', pool: null, open: 1, overdue: 1, oldestDueAt: at(-50.5) },
      ],
    };
  }

  function logisticsExpected(elapsedHours: number) {
    const l1Overdue = elapsedHours > 3;
    return {
      summary: {
        unit: { key: 'logistics', code: 'HQ', name: '后勤保障处' },
        openTasks: 2,
        overdueTasks: l1Overdue ? 2 : 1,
        oldestOverdue: {
          taskId: tasks.L2,
          applicationId: apps.L2!.id,
          caseNumber: apps.L2!.caseNumber,
          serviceItem: item(hq),
          nodeKey: 'check',
          holder: { personId: 'T0602', name: '高后勤', pool: null },
          dueAt: at(-2),
          overdueHours: 2 + elapsedHours,
        },
        followUps: {
          open: 1,
          overdue: 1,
          oldestOverdue: {
            followUpId: followUps.L3,
            applicationId: apps.L3!.id,
            caseNumber: apps.L3!.caseNumber,
            serviceItem: item(hq),
            level: 1,
            dueAt: at(-10),
            overdueHours: 10 + elapsedHours,
          },
        },
      },
      byHandler: [
        { personId: 'T0602', name: '高后勤', pool: null, open: 1, overdue: 1, oldestDueAt: at(-2) },
        {
          personId: null,
          name: null,
          pool: { role: 'handler', unit: 'logistics' },
          open: 1,
          overdue: l1Overdue ? 1 : 0,
          oldestDueAt: at(3),
        },
      ],
    };
  }

  it('the scenario is what it claims: done and waiting tasks exist and are past due', async () => {
    const past = await t.db
      .knex('tasks')
      .whereIn('status', ['done', 'waiting'])
      .where('due_at', '<', now)
      .count({ n: '*' });
    expect(Number(past[0]!.n)).to.be.greaterThan(10);
    expect(apps.F1!.caseNumber).to.match(/^\d{4}-CW-\d{6}$/);
  });

  it("the unit admin sees the unit's open and overdue tasks by handler and its follow-ups, exactly", async () => {
    const res = await as(t, 'cw-admin').get('/api/v1/supervision/units/finance');
    expect(res.status).to.equal(200);
    const e = financeExpected();
    expect(res.body).to.deep.equal({ asOf: now.toISOString(), ...e.summary, byHandler: e.byHandler });

    const hqRes = await as(t, 'hq-admin').get('/api/v1/supervision/units/logistics');
    const l = logisticsExpected(0);
    expect(hqRes.body).to.deep.equal({ asOf: now.toISOString(), ...l.summary, byHandler: l.byHandler });
  });

  it('a unit with nothing open has zero figures', async () => {
    const res = await as(t, 'xg-admin').get('/api/v1/supervision/units/student-affairs');
    expect(res.body).to.deep.equal({
      asOf: now.toISOString(),
      unit: { key: 'student-affairs', code: 'XG', name: '学生工作部（处）' },
      openTasks: 0,
      overdueTasks: 0,
      oldestOverdue: null,
      followUps: { open: 0, overdue: 0, oldestOverdue: null },
      byHandler: [],
    });
  });

  it("the President's Office and the IT Office see every unit, most overdue first", async () => {
    const e = financeExpected();
    const l = logisticsExpected(0);
    const zero = Object.entries(UNITS).map(([key, u]) => ({
      unit: { key, ...u },
      openTasks: 0,
      overdueTasks: 0,
      oldestOverdue: null,
      followUps: { open: 0, overdue: 0, oldestOverdue: null },
    }));
    const expected = { asOf: now.toISOString(), units: [e.summary, l.summary, ...zero] };
    for (const who of ['xb-officer', 'it-officer']) {
      const res = await as(t, who).get('/api/v1/supervision/units');
      expect(res.status, who).to.equal(200);
      expect(res.body, who).to.deep.equal(expected);
    }
    // and any single unit, with the same figures its admin sees
    const one = await as(t, 'xb-officer').get('/api/v1/supervision/units/finance');
    expect(one.body).to.deep.equal({ asOf: now.toISOString(), ...e.summary, byHandler: e.byHandler });
  });

  it("handlers, other units' admins, unit admins asking for every unit and the auditor are refused with 403 problems", async () => {
    for (const [who, path] of [
      ['cw-handler', '/api/v1/supervision/units/finance'],
      ['jw-admin', '/api/v1/supervision/units/finance'],
      ['hq-admin', '/api/v1/supervision/units/finance'],
      ['cw-admin', '/api/v1/supervision/units/logistics'],
      ['cw-admin', '/api/v1/supervision/units'],
      ['xb-admin', '/api/v1/supervision/units'],
      ['cw-handler', '/api/v1/supervision/units'],
      ['auditor', '/api/v1/supervision/units'],
      ['student-xx', '/api/v1/supervision/units/finance'],
    ] as const) {
      const res = await as(t, who).get(path);
      expect(res.status, `${who} ${path}`).to.equal(403);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body).to.include({ status: 403, code: 'SUPERVISION.FORBIDDEN' });
    }
  });

  it('an unknown unit is a 404 problem; without a session a 401', async () => {
    const res = await as(t, 'xb-officer').get('/api/v1/supervision/units/nowhere');
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body).to.include({ status: 404, code: 'UNIT.NOT_FOUND' });
    expect((await request(t.app).get('/api/v1/supervision/units')).status).to.equal(401);
    expect((await request(t.app).get('/api/v1/supervision/units/finance')).status).to.equal(401);
  });

  it('the figures are as of the clock: six hours on, the logistics pool task due in three is overdue', async () => {
    clock.advanceSeconds(6 * 3600);
    t.forgetLogins();
    const res = await as(t, 'hq-admin').get('/api/v1/supervision/units/logistics');
    const l = logisticsExpected(6);
    expect(res.body).to.deep.equal({ asOf: at(6), ...l.summary, byHandler: l.byHandler });
    const fin = (await as(t, 'cw-admin').get('/api/v1/supervision/units/finance')).body;
    // F3 (due +10h) is still not overdue; the oldest is now 56 whole hours past due
    expect([fin.openTasks, fin.overdueTasks, fin.oldestOverdue.overdueHours]).to.deep.equal([6, 4, 56]);
  });
});
