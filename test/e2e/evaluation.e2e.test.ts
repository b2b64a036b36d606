import { expect } from 'chai';
import { MovableClock } from '../fixtures/movable-clock.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement, type AppBody } from './application-helpers.js';

describe('好差评 evaluation and follow-ups (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  const clock = new MovableClock();
  before(async () => {
    t = await createTestApp(() => ({ clock }));
    itemId = (await onlineItem(t, 'CW-EVAL', reimbursement('any'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  async function completed(): Promise<AppBody> {
    let a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
    a = (await act(t, 'jw-admin', a.currentTasks.find((x) => x.assignee === 'T0101')!.id, 'approve')).body;
    return (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
  }
  const rate = (who: string, id: string, body: unknown) =>
    as(t, who).put(`/api/v1/applications/${id}/evaluation`, body);

  it('only the applicant rates, and only a completed application', async () => {
    const running = await apply(t, itemId);
    expect((await rate('student-xx', running.id, { level: 5 })).status).to.equal(409);
    const a = await completed();
    expect((await rate('cw-handler', a.id, { level: 5 })).status).to.equal(403);
    expect((await rate('student-xx', a.id, { level: 6 })).status).to.equal(400);
    const ok = await rate('student-xx', a.id, { level: 5, comment: '很快' });
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ level: 5, followUp: null });
  });

  it('不满意 opens a follow-up for the owning unit due in 15 working days; the unit admin resolves it', async () => {
    const a = await completed();
    const res = await rate('student-xx', a.id, { level: 2, comment: '等了很久' });
    expect(res.body.followUp.status).to.equal('open');
    // Friday 27 Nov 2026 + 15 working days = Friday 18 Dec, end of day in +08:00
    expect(res.body.followUp.dueAt).to.equal('2026-12-18T15:59:59.999Z');
    const list = await as(t, 'cw-admin').get('/api/v1/follow-ups?status=open');
    expect(list.body.items.map((f: { applicationId: string }) => f.applicationId)).to.include(a.id);
    expect((await as(t, 'xg-admin').get('/api/v1/follow-ups')).body.items).to.deep.equal([]);
    const id = res.body.followUp.id as string;
    expect((await as(t, 'jw-admin').post(`/api/v1/follow-ups/${id}/resolution`, { resolution: 'x' })).status).to.equal(
      403,
    );
    const done = await as(t, 'cw-admin').post(`/api/v1/follow-ups/${id}/resolution`, {
      resolution: '已约谈经办人，优化审核时限',
    });
    expect(done.body.status).to.equal('resolved');
    expect(
      (await as(t, 'cw-admin').post(`/api/v1/follow-ups/${id}/resolution`, { resolution: 'again' })).status,
    ).to.equal(409);
  });

  it('a rating can be changed once within the window; a satisfied change withdraws the open follow-up', async () => {
    const a = await completed();
    const first = await rate('student-xx', a.id, { level: 1 });
    expect(first.body.followUp.status).to.equal('open');
    clock.advanceDays(2);
    t.forgetLogins();
    const changed = await rate('student-xx', a.id, { level: 4, comment: '后来处理得很好' });
    expect(changed.body).to.deep.include({ level: 4, changes: 1 });
    const f = (await as(t, 'cw-admin').get('/api/v1/follow-ups')).body.items.find(
      (x: { applicationId: string }) => x.applicationId === a.id,
    );
    expect(f.status).to.equal('withdrawn');
    const twice = await rate('student-xx', a.id, { level: 3 });
    expect(twice.body.code).to.equal('EVALUATION.ALREADY_CHANGED');
  });

  it('after the window a rating cannot be changed', async () => {
    const a = await completed();
    await rate('student-xx', a.id, { level: 3 });
    clock.advanceDays(8);
    t.forgetLogins();
    const late = await rate('student-xx', a.id, { level: 1 });
    expect(late.status).to.equal(409);
    expect(late.body.code).to.equal('EVALUATION.CHANGE_WINDOW_CLOSED');
  });
});
