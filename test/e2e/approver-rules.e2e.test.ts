import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem, openChange } from './lifecycle-helpers.js';
import { act, apply, reimbursement, taskOf, type AppBody } from './application-helpers.js';

const form = { type: 'object', properties: { note: { type: 'string' } } };
const people = (...ids: string[]) => ({ type: 'people', people: ids });
const step = (key: string, handlers: unknown, extra: Record<string, unknown> = {}) => ({
  key,
  kind: 'approve',
  name: key,
  handlers,
  timeLimit: { workingDays: 1 },
  ...extra,
});
const def = (...steps: unknown[]) => ({
  form,
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    ...steps,
    { key: 'done', kind: 'complete', name: '办结', handlers: people('T0102'), timeLimit: { workingDays: 1 } },
  ],
});

describe('approver rules (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  const skipped = (a: AppBody) =>
    a.recorded.filter((h) => h.action === 'node-skipped').map((h) => [h.node, h.detail?.reason]);

  it('the applicant is left out of a step they would approve; the other approver gets it', async () => {
    const { itemId } = await onlineItem(t, 'CW-AR1', def(step('head', people('T0302', 'T0101'))));
    const a = await apply(t, itemId, 'cw-handler', { note: '本人申请' });
    expect(a.currentTasks.map((x) => x.assignee)).to.deep.equal(['T0101']);
  });

  it("if the applicant was the only approver, the step goes to the owning unit's service admins, never passes silently", async () => {
    const { itemId } = await onlineItem(t, 'CW-AR2', def(step('head', people('T0302'))));
    const a = await apply(t, itemId, 'cw-handler', {});
    expect(a.currentTasks[0]).to.include({ node: 'head', assignee: null });
    expect(a.recorded.map((h) => h.action)).to.include('escalated');
  });

  it('a step set to skip-node is skipped when the applicant would approve it, and the history says why', async () => {
    const { itemId } = await onlineItem(
      t,
      'CW-AR3',
      def(step('head', people('T0302'), { whenApplicantIsApprover: 'skip-node' }), step('office', people('T0101'))),
    );
    const mine = await apply(t, itemId, 'cw-handler', {});
    expect(mine.activeNode).to.equal('office');
    expect(skipped(mine)).to.deep.equal([['head', 'the applicant is an approver of this step']]);
    const other = await apply(t, itemId, 'student-xx', {});
    expect(other.activeNode, 'for anyone else the step applies').to.equal('head');
  });

  it('auto-pass: who approved the previous step is approved automatically at the next one', async () => {
    const { itemId } = await onlineItem(
      t,
      'CW-AR4',
      def(
        step('check', people('T0101')),
        step('sign', people('T0101', 'T0011'), { mode: 'all', autoPassSameApprover: true }),
      ),
    );
    let a = await apply(t, itemId, 'student-xx', {});
    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve')).body;
    expect(a.activeNode).to.equal('sign');
    expect(a.currentTasks.map((x) => x.assignee)).to.deep.equal(['T0011']);
    const auto = a.recorded.filter((h) => h.action === 'approved' && h.node === 'sign');
    expect(auto).to.have.length(1);
    expect(auto[0]).to.deep.include({
      actor: 'T0101',
      detail: { automatic: true, reason: 'approved the previous step' },
    });
  });

  it('without auto-pass the same person approves each step themselves', async () => {
    const { itemId } = await onlineItem(
      t,
      'CW-AR5',
      def(step('check', people('T0101')), step('sign', people('T0101'))),
    );
    let a = await apply(t, itemId, 'student-xx', {});
    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve')).body;
    expect(a.currentTasks.map((x) => [x.node, x.assignee])).to.deep.equal([['sign', 'T0101']]);
  });

  it("an applicant who holds the pool's role cannot claim their own application", async () => {
    const { itemId } = await onlineItem(t, 'CW-AR6', reimbursement('any'));
    const a = await apply(t, itemId, 'cw-handler');
    const res = await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    expect(res.status).to.equal(403);
    expect(res.body.code).to.equal('TASK.OWN_APPLICATION');
  });

  it('refuses unknown values of the rules when the definition is saved', async () => {
    const { itemId } = await onlineItem(t, 'CW-AR7', def(step('head', people('T0101'))));
    const base = `/api/v1/service-items/${itemId}`;
    await openChange(t, itemId, 'rules');
    const res = await as(t, 'cw-admin').put(
      `${base}/draft/definition`,
      def(step('head', people('T0101'), { whenApplicantIsApprover: 'ask-mum', autoPassSameApprover: 'yes' })),
    );
    expect(res.status).to.equal(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([
      '/nodes/1/whenApplicantIsApprover',
      '/nodes/1/autoPassSameApprover',
    ]);
  });
});
