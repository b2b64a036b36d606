import { expect } from 'chai';
import pino from 'pino';
import { seedDemoServiceItems } from '../../src/adapters/composition/demo.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';
import { act, apply, progress, type AppBody } from './application-helpers.js';
import { reminderJobs } from '../fixtures/reminder-jobs.js';

/** The demo catalogue `npm start` serves, worked end to end: conditions, countersign, transfer. */
describe('demo service items (e2e)', () => {
  let t: TestApp;
  let ids: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    await seedDemoServiceItems(t.container, pino({ level: 'silent' }));
    const cat = await as(t, 'student-xx').get('/api/v1/catalogue');
    ids = Object.fromEntries(cat.body.items.map((i: { code: string; id: string }) => [i.code, i.id]));
  });
  after(async () => {
    await t.close();
  });

  /** Claims pool tasks and approves until the application leaves the given node. */
  async function pass(a: AppBody, who: string, node: string): Promise<AppBody> {
    for (const task of a.currentTasks.filter((x) => x.node === node)) {
      if (task.assignee === null) await act(t, who, task.id, 'claim');
      else if ((await as(t, who).get('/api/v1/me')).body.id !== task.assignee) continue;
      a = (await act(t, who, task.id, 'approve')).body;
    }
    return a;
  }
  const passed = async (a: AppBody) =>
    (await progress(t, a.id)).history.filter((h) => h.action === 'node-passed').map((h) => h.node);
  /** The steps the last action skipped. */
  const skipped = (a: AppBody) => a.recorded.filter((h) => h.action === 'node-skipped').map((h) => h.node);

  it('serves the five demo items', () => {
    expect(Object.keys(ids).sort()).to.deep.equal(['HQ-SSTH', 'HQ-TS', 'JW-ZDZM', 'XB-GZSY', 'XG-QJ']);
  });

  it('学生请假: a 2-day leave in town goes counselor -> done; the deputy and filing steps are skipped', async () => {
    let a = await apply(t, ids['XG-QJ']!, 'student-xx', {
      from: '2026-12-01',
      to: '2026-12-02',
      days: 2,
      reason: '看病',
      leaves_city: false,
    });
    expect(a.currentTasks[0]).to.include({ node: 'counselor', assignee: null });
    a = await pass(a, 'xx-counselor', 'counselor');
    expect(skipped(a)).to.deep.equal(['deputy', 'filing']);
    a = await pass(a, 'xx-counselor', 'done');
    expect(a.state).to.equal('completed');
  });

  it('学生请假: a 10-day leave goes through the college deputy and the student affairs filing', async () => {
    let a = await apply(t, ids['XG-QJ']!, 'student-hk', {
      from: '2026-12-01',
      to: '2026-12-10',
      days: 10,
      reason: '回家',
      leaves_city: true,
    });
    a = await pass(a, 'hk-counselor', 'counselor');
    a = await pass(a, 'hk-deputy', 'deputy');
    a = await pass(a, 'xg-handler', 'filing');
    a = await pass(a, 'hk-counselor', 'done');
    expect(await passed(a)).to.deep.equal(['counselor', 'deputy', 'filing', 'done']);
  });

  it('学生请假: the student affairs filing is approved automatically when its 2 working days pass (onTimeout)', async () => {
    let a = await apply(t, ids['XG-QJ']!, 'student-hk', {
      from: '2026-12-01',
      to: '2026-12-10',
      days: 10,
      reason: '回家',
      leaves_city: true,
    });
    a = await pass(a, 'hk-counselor', 'counselor');
    a = await pass(a, 'hk-deputy', 'deputy');
    const filing = a.currentTasks.find((x) => x.node === 'filing')!;
    // the filing's due timer, as the worker gets it when the time limit has passed
    const due = (await reminderJobs(t.db.knex, [filing.id])).find((j) => j.data.kind === 'due')!;
    expect(await t.container.useCases.taskReminders.fire({ queue: 'task-reminder', id: due.id, ...due.data })).to.equal(
      'acted',
    );
    const after = await progress(t, a.id);
    expect(after.activeNode).to.equal('done');
    expect(after.history.find((h) => h.action === 'approved' && h.node === 'filing')).to.deep.include({
      actor: 'system',
      detail: { automatic: true, reason: 'time limit passed' },
    });
  });

  it("公章使用申请: the office step is a countersign of both President's Office handlers", async () => {
    let a = await apply(t, ids['XB-GZSY']!, 'xg-handler', {
      purpose: '合同用印',
      seal: '校章',
      copies: 2,
      document_title: '合作协议',
    });
    expect(a.currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0011', 'T0012']);
    a = await pass(a, 'xb-handler-a', 'office');
    expect(a.activeNode).to.equal('office');
    a = await pass(a, 'xb-handler-b', 'office');
    expect(a.activeNode).to.equal('done');
  });

  it('宿舍调换: after the counselor, the transfer node creates a task for the Logistics Office', async () => {
    let a = await apply(t, ids['HQ-SSTH']!, 'student-xx', { current_room: '5-302', reason: '作息冲突' });
    a = await pass(a, 'xx-counselor', 'counselor');
    expect(a.currentTasks[0]).to.include({ node: 'allocate', assignee: null });
    const inbox = await as(t, 'hq-handler').get('/api/v1/me/tasks');
    expect(inbox.body.items.map((i: { nodeKey: string }) => i.nodeKey)).to.include('allocate');
  });

  describe('学生退宿: inspection and settlement run in parallel, then the join', () => {
    const moveOut = { room: '5-302', move_out_on: '2027-01-15', reason: '毕业' };

    it('both branches are open at once; the join waits for the second; then the run completes', async () => {
      let a = await apply(t, ids['HQ-TS']!, 'student-xx', moveOut);
      a = await pass(a, 'xx-counselor', 'counselor');
      expect(a.activeNodes).to.deep.equal(['inspect', 'settle']);
      expect(a.currentTasks.map((x) => x.node).sort()).to.deep.equal(['inspect', 'settle']);
      const finance = await as(t, 'cw-handler').get('/api/v1/me/tasks');
      expect(finance.body.items.map((i: { nodeKey: string }) => i.nodeKey)).to.include('settle');
      a = await pass(a, 'cw-handler', 'settle');
      expect(a.activeNodes, 'the join waits for the inspection').to.deep.equal(['inspect']);
      expect(a.recorded.map((h) => h.action)).to.include('branch-arrived');
      a = await pass(a, 'hq-handler', 'inspect');
      expect(a.activeNodes).to.deep.equal(['done']);
      expect(a.recorded.filter((h) => h.action === 'branches-joined').map((h) => h.node)).to.deep.equal(['checked']);
      a = await pass(a, 'hq-handler', 'done');
      expect(a.state).to.equal('completed');
      expect((await passed(a)).sort()).to.deep.equal(['counselor', 'done', 'inspect', 'settle']);
    });

    it('returns: to a sibling branch 400 naming /target; from the join onwards into one branch re-runs that branch only', async () => {
      let a = await apply(t, ids['HQ-TS']!, 'student-hk', moveOut);
      a = await pass(a, 'hk-counselor', 'counselor');
      a = await pass(a, 'cw-handler', 'settle');
      const inspect = a.currentTasks.find((x) => x.node === 'inspect')!;
      await act(t, 'hq-handler', inspect.id, 'claim');
      const sideways = await act(t, 'hq-handler', inspect.id, 'return', { target: 'settle', comment: '押金有误' });
      expect(sideways.status).to.equal(400);
      expect(sideways.body.code).to.equal('APPLICATION.RETURN_TARGET_OFF_PATH');
      expect(sideways.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/target']);
      a = (await act(t, 'hq-handler', inspect.id, 'approve')).body;
      expect(a.activeNodes).to.deep.equal(['done']);
      const done = a.currentTasks.find((x) => x.node === 'done')!;
      await act(t, 'hq-handler', done.id, 'claim');
      const back = await act(t, 'hq-handler', done.id, 'return', { target: 'settle', comment: '押金未退' });
      expect(back.status, JSON.stringify(back.body)).to.equal(200);
      expect(back.body.activeNodes).to.deep.equal(['settle']);
      a = await pass(back.body as AppBody, 'cw-handler', 'settle');
      expect(a.activeNodes, 'the inspection is not asked again').to.deep.equal(['done']);
      const wrongPerson = await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve');
      expect(wrongPerson.status).to.equal(403);
    });

    it('拿回: finance takes back its settlement while the join waits; refused to others (403) and once a later step acted (409)', async () => {
      let a = await apply(t, ids['HQ-TS']!, 'student-xx', moveOut);
      const counselorTask = a.currentTasks[0]!.id;
      a = await pass(a, 'xx-counselor', 'counselor');
      const settleTask = a.currentTasks.find((x) => x.node === 'settle')!.id;
      a = await pass(a, 'cw-handler', 'settle');
      const stranger = await act(t, 'hq-handler', settleTask, 'take-back');
      expect(stranger.status).to.equal(403);
      expect(stranger.body.code).to.equal('TASK.NOT_YOURS');
      const back = await act(t, 'cw-handler', settleTask, 'take-back');
      expect(back.status, JSON.stringify(back.body)).to.equal(200);
      expect(back.body.activeNodes).to.deep.equal(['inspect', 'settle']);
      const reopened = (back.body as AppBody).currentTasks.find((x) => x.node === 'settle')!;
      expect(reopened.assignee, 'the reopened step is held by who took it back').to.equal('T0302');
      expect((back.body as AppBody).recorded.map((h) => h.action)).to.include('taken-back');
      a = await pass(back.body as AppBody, 'hq-handler', 'inspect');
      const late = await act(t, 'xx-counselor', counselorTask, 'take-back');
      expect(late.status).to.equal(409);
      expect(late.body.code).to.equal('APPLICATION.NEXT_STEP_ACTED');
    });
  });
});
