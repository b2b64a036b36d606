import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, launchableItem, onlineItem } from './lifecycle-helpers.js';
import { act, apply, progress, type AppBody } from './application-helpers.js';

/** Leave-like process: the deputy signs only beyond 3 days; the filing step only for students. */
const leave = (condition: unknown = { '>': [{ var: 'form.days' }, 3] }) => ({
  form: {
    type: 'object',
    required: ['days', 'leaves_city'],
    properties: { days: { type: 'number', minimum: 0.5 }, leaves_city: { type: 'boolean' } },
  },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    {
      key: 'review',
      kind: 'review',
      name: '审核',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 1 },
    },
    {
      key: 'deputy',
      kind: 'approve',
      name: '副书记审批',
      handlers: { type: 'people', people: ['T0101'] },
      timeLimit: { workingDays: 1 },
      condition,
    },
    {
      key: 'filing',
      kind: 'approve',
      name: '备案',
      handlers: { type: 'people', people: ['T0102'] },
      timeLimit: { workingDays: 1 },
      condition: { '==': [{ var: 'applicant.type' }, 'student'] },
    },
    {
      key: 'done',
      kind: 'complete',
      name: '办结',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 1 },
    },
  ],
});

describe('conditional routing (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-LEAVE', leave())).itemId;
  });
  after(async () => {
    await t.close();
  });

  async function runToEnd(a: AppBody): Promise<AppBody> {
    const who: Record<string, string> = { T0302: 'cw-handler', T0101: 'jw-admin', T0102: 'jw-handler' };
    while (a.state === 'in_progress')
      a = (await act(t, who[a.currentTasks[0]!.assignee!]!, a.currentTasks[0]!.id, 'approve')).body;
    return a;
  }
  const passed = async (a: AppBody) =>
    (await progress(t, a.id)).history.filter((h) => h.action === 'node-passed').map((h) => h.node);
  const skipped = async (a: AppBody) =>
    (await progress(t, a.id)).history.filter((h) => h.action === 'node-skipped').map((h) => h.node);

  it('a short leave skips the deputy, and the history says so', async () => {
    const a = await runToEnd(await apply(t, itemId, 'student-xx', { days: 2, leaves_city: false }));
    expect(a.state).to.equal('completed');
    expect(await passed(a)).to.deep.equal(['review', 'filing', 'done']);
    expect(await skipped(a)).to.deep.equal(['deputy']);
  });

  it('a long leave goes through the deputy', async () => {
    const a = await runToEnd(await apply(t, itemId, 'student-xx', { days: 5, leaves_city: true }));
    expect(await passed(a)).to.deep.equal(['review', 'deputy', 'filing', 'done']);
    expect(await skipped(a)).to.deep.equal([]);
  });

  it('a staff applicant skips the students-only filing step', async () => {
    const a = await runToEnd(await apply(t, itemId, 'xg-handler', { days: 1, leaves_city: false }));
    expect(await passed(a)).to.deep.equal(['review', 'done']);
    expect(await skipped(a)).to.deep.equal(['deputy', 'filing']);
  });

  it('a condition over an unknown field or of the wrong type is refused when the definition is saved', async () => {
    const { itemId: other } = await launchableItem(t, 'CW-BADC');
    const res = await as(t, 'cw-admin').put(
      `/api/v1/service-items/${other}/draft/definition`,
      leave({ and: [{ '>': [{ var: 'form.weeks' }, 1] }, { '==': [{ var: 'form.leaves_city' }, 'yes'] }] }),
    );
    expect(res.status).to.equal(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([
      '/nodes/2/condition/and/0/>/0/var',
      '/nodes/2/condition/and/1/==/1',
    ]);
  });
});
