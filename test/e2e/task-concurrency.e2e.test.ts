import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement, progress, taskOf } from './application-helpers.js';

/**
 * Two actions on the same task at the same moment, interleaved deterministically: the test holds
 * the application's row lock in its own transaction, waits until both requests are blocked on it,
 * then lets them go. No sleeps.
 */
describe('acting on one task at the same moment (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-RACE', reimbursement('all'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  async function waitForBlocked(n: number): Promise<void> {
    for (;;) {
      const r = await t.db.knex.raw(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (r.rows[0].n >= n) return;
      await new Promise((res) => setImmediate(res));
    }
  }

  async function race(
    applicationId: string,
    attempts: Array<() => Promise<{ status: number; body: { code?: string } }>>,
  ) {
    const trx = await t.db.knex.transaction();
    await trx('applications').where({ id: applicationId }).forUpdate().select('id');
    const pending = attempts.map((f) => f());
    await waitForBlocked(attempts.length);
    await trx.commit();
    return Promise.all(pending);
  }

  it('the same handler twice: exactly one succeeds, the other is told the task was already handled', async () => {
    const a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    const taskId = a.currentTasks[0]!.id;
    const results = await race(a.id, [
      () => act(t, 'cw-handler', taskId, 'approve'),
      () => act(t, 'cw-handler', taskId, 'approve'),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).to.equal('TASK.ALREADY_HANDLED');
    expect((await progress(t, a.id, 'student-xx')).history.filter((h) => h.action === 'approved')).to.have.length(1);
  });

  it('two pool members claiming at once: one gets the task, the other a 409', async () => {
    const a = await apply(t, itemId);
    await t.db.knex('casbin_rule').insert({ ptype: 'g', v0: 'T0301', v1: 'handler', v2: 'finance' });
    const enforcer = t.container.ports.enforcer as unknown as { reload(): Promise<void> };
    await enforcer.reload();
    const taskId = a.currentTasks[0]!.id;
    const results = await race(a.id, [
      () => act(t, 'cw-handler', taskId, 'claim'),
      () => act(t, 'cw-admin', taskId, 'claim'),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).to.equal('TASK.ALREADY_CLAIMED');
  });

  it('both countersigners at once: both succeed, in turn, and the node passes exactly once', async () => {
    let a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
    const results = await race(a.id, [
      () => act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve'),
      () => act(t, 'jw-handler', taskOf(a, 'T0102'), 'approve'),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal([200, 200]);
    const seen = await progress(t, a.id, 'student-xx');
    expect(seen.activeNode).to.equal('pay');
    expect(seen.history.filter((h) => h.action === 'node-passed' && h.node === 'sign')).to.have.length(1);
  });
});
