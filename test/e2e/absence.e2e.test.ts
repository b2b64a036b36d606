import { expect } from 'chai';
import { MovableClock } from '../fixtures/movable-clock.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement, taskOf, type AppBody } from './application-helpers.js';

describe('time-boxed delegation while absent (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  const clock = new MovableClock(new Date('2026-12-01T02:00:00Z')); // 1 Dec, 10:00 in China
  before(async () => {
    t = await createTestApp(() => ({ clock }));
    itemId = (await onlineItem(t, 'CW-AWAY', reimbursement('all'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  async function atSign(): Promise<AppBody> {
    const a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    return (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
  }

  it('refuses a substitute who is not active staff, or dates the wrong way round', async () => {
    const bad = await as(t, 'jw-admin').put('/api/v1/me/absence', {
      substitute: '2024110101',
      from: '2026-12-05',
      to: '2026-12-01',
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/substitute', '/to']);
  });

  it("while away, the substitute receives the new task, marked as standing in; afterwards it is the person's again", async () => {
    expect(
      (await as(t, 'jw-admin').put('/api/v1/me/absence', { substitute: 'T0010', from: '2026-12-01', to: '2026-12-03' }))
        .status,
    ).to.equal(200);
    let a: AppBody = await atSign();
    expect(a.currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0010', 'T0102']);
    const row = await t.db
      .knex('tasks')
      .where({ id: taskOf(a, 'T0010') })
      .first();
    expect(row.reason).to.equal('SUBSTITUTE_FOR T0101');
    a = (await act(t, 'xb-admin', taskOf(a, 'T0010'), 'approve')).body;
    expect(a.currentTasks.map((x) => x.assignee)).to.deep.equal(['T0102']);

    clock.advanceDays(3); // 4 Dec: back
    t.forgetLogins();
    const later = await atSign();
    expect(later.currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0101', 'T0102']);
  });

  it('back early: clearing the absence returns new tasks at once', async () => {
    expect(
      (await as(t, 'jw-admin').put('/api/v1/me/absence', { substitute: 'T0010', from: '2026-12-04', to: '2026-12-31' }))
        .status,
    ).to.equal(200);
    expect((await atSign()).currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0010', 'T0102']);
    expect((await as(t, 'jw-admin').delete('/api/v1/me/absence')).status).to.equal(200);
    expect((await atSign()).currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0101', 'T0102']);
    expect((await as(t, 'jw-admin').delete('/api/v1/me/absence')).status).to.equal(404);
  });
});
