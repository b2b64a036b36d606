import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem, openChange } from './lifecycle-helpers.js';
import { act, apply, progress, reimbursement, taskOf, type AppBody } from './application-helpers.js';

describe('version stability (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('an application started on v1 completes on v1 after v2 is launched, and after offboarding', async () => {
    const { itemId, versionId: v1 } = await onlineItem(t, 'CW-VER', reimbursement('all'));
    let a: AppBody & { versionId: string } = (await apply(t, itemId)) as AppBody & { versionId: string };
    expect(a.versionId).to.equal(v1);

    // v2 drops the countersign
    const base = `/api/v1/service-items/${itemId}`;
    const v2 = await openChange(t, itemId, '取消教务会签');
    const def = reimbursement('all');
    def.nodes = def.nodes.filter((n) => n.key !== 'sign');
    expect((await as(t, 'cw-admin').put(`${base}/draft/definition`, def)).status).to.equal(200);
    await as(t, 'cw-admin').post(`${base}/versions/${v2}/confirmations`);
    await as(t, 'jw-admin').post(`${base}/versions/${v2}/confirmations`);
    expect((await as(t, 'cw-admin').post(`${base}/versions/${v2}/launch`)).status).to.equal(200);

    const b = (await apply(t, itemId)) as AppBody & { versionId: string };
    expect(b.versionId).to.equal(v2);

    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
    expect(a.activeNode, 'v1 still has the countersign').to.equal('sign');

    // offboarding does not stop running applications either
    await as(t, 'cw-admin').post(`${base}/offboarding-requests`, { reason: '并入新平台' });
    await as(t, 'xb-officer').post(`${base}/approvals`);
    await as(t, 'it-officer').post(`${base}/approvals`);
    expect(
      (await as(t, 'student-hk').post('/api/v1/applications', { itemId, form: { amount: 1, purpose: '测试' } })).status,
    ).to.equal(409);

    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve')).body;
    a = (await act(t, 'jw-handler', taskOf(a, 'T0102'), 'approve')).body;
    a = (await act(t, 'cw-handler', taskOf(a, 'T0302'), 'approve')).body;
    expect(a.state).to.equal('completed');
    expect(a.versionId).to.equal(v1);
    expect(
      (await progress(t, a.id)).history.filter((h) => h.action === 'node-passed').map((h) => h.node),
    ).to.deep.equal(['check', 'sign', 'pay']);
  });
});
