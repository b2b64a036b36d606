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

  it('serves the four demo items', () => {
    expect(Object.keys(ids).sort()).to.deep.equal(['HQ-SSTH', 'JW-ZDZM', 'XB-GZSY', 'XG-QJ']);
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
});
