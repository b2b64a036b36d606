import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { act, apply, reimbursement, type AppBody } from './application-helpers.js';
import { as, onlineItem } from './lifecycle-helpers.js';

/**
 * Round trips to PostgreSQL per core action, counted at the driver: each action is a handful of
 * statements (lock-and-load in one, the whole write — row, history, tasks, timers, audit, outbox —
 * in one), whatever the number of tasks or the length of the history. A change that adds a
 * statement to a step has to raise its budget here, on purpose.
 */
const BUDGET = { submit: 8, claim: 4, approve: 5, return: 5, transfer: 5, road: 7, diagram: 6 } as const;

describe('statements per core action (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  let statements: string[] = [];
  before(async () => {
    t = await createTestApp();
    ({ itemId } = await onlineItem(t, 'CW-BUDGET', reimbursement('all')));
    t.container.knex.on('query', (q: { sql: string }) => {
      statements.push(q.sql);
    });
  });
  after(async () => {
    await t.close();
  });

  /** The statements one request sends (signed in beforehand: a live session is answered from memory). */
  async function counted<T>(who: string, work: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    await t.login(who);
    statements = [];
    const result = await work();
    return { result, sql: statements };
  }
  const within = (action: keyof typeof BUDGET, sql: string[]) =>
    expect(sql.length, `${action}: ${sql.length} statements\n  ${sql.join('\n  ')}`).to.be.at.most(BUDGET[action]);

  it(`submit ≤ ${BUDGET.submit}, claim ≤ ${BUDGET.claim}, approve ≤ ${BUDGET.approve}, return ≤ ${BUDGET.return}, transfer ≤ ${BUDGET.transfer}`, async () => {
    const submitted = await counted('student-xx', () => apply(t, itemId));
    within('submit', submitted.sql);
    let a: AppBody = submitted.result;
    const claim = await counted('cw-handler', () => act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim'));
    expect(claim.result.status).to.equal(200);
    within('claim', claim.sql);
    const approve = await counted('cw-handler', () => act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve'));
    expect(approve.result.status).to.equal(200);
    within('approve', approve.sql);
    a = approve.result.body as AppBody;
    const back = await counted('jw-admin', () =>
      act(t, 'jw-admin', a.currentTasks.find((x) => x.assignee === 'T0101')!.id, 'return', {
        target: 'check',
        comment: '请复核',
      }),
    );
    expect(back.result.status).to.equal(200);
    within('return', back.sql);
    a = back.result.body as AppBody;
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    const transfer = await counted('cw-handler', () =>
      act(t, 'cw-handler', a.currentTasks[0]!.id, 'transfer', { to: 'T0301' }),
    );
    expect(transfer.result.status).to.equal(200);
    within('transfer', transfer.sql);
  });

  it('a step costs the same after a long history and many tasks', async () => {
    let a = await apply(t, itemId);
    // 40 rounds of claim, approve at the countersign, return: ~250 history entries, ~120 tasks
    for (let i = 0; i < 40; i++) {
      await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
      a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body as AppBody;
      a = (
        await act(t, 'jw-admin', a.currentTasks.find((x) => x.assignee === 'T0101')!.id, 'return', {
          target: 'check',
          comment: '再看',
        })
      ).body as AppBody;
    }
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    const approve = await counted('cw-handler', () => act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve'));
    expect(approve.result.status).to.equal(200);
    within('approve', approve.sql);
  });

  // reads (in one transaction): the application, what decides who reads it, the handlers on duty, the
  // whole history, and (the road) the names of everyone it lists, in one look-up
  it(`the road ≤ ${BUDGET.road} and the diagram ≤ ${BUDGET.diagram} statements`, async () => {
    const a = await apply(t, itemId);
    const road = await counted('student-xx', () => as(t, 'student-xx').get(`/api/v1/applications/${a.id}/road`));
    expect(road.result.status).to.equal(200);
    expect(road.result.body.ahead.length).to.be.greaterThan(0);
    within('road', road.sql);
    const diagram = await counted('student-xx', () => as(t, 'student-xx').get(`/api/v1/applications/${a.id}/diagram`));
    expect(diagram.result.status).to.equal(200);
    within('diagram', diagram.sql);
  });
});
