import { expect } from 'chai';
import type { TestApp } from '../fixtures/test-app.js';
import { act, apply, reimbursement, type AppBody } from './application-helpers.js';
import { as, onlineItem } from './lifecycle-helpers.js';

/**
 * A finance handler who is also an academic-affairs handler, with a local account and work in
 * both units: `finance` — a claimed finance pool task, and a step of a finance item naming them;
 * `elsewhere` — a claimed academic-affairs pool task (not finance's work).
 */
export async function financeHandlerWithWork(
  t: TestApp,
  o: { id: string; username: string; code: string },
): Promise<{ itemId: string; finance: string[]; elsewhere: string }> {
  await t.db
    .knex('people')
    .insert({ id: o.id, name: '调岗人员', type: 'staff', unit_key: 'finance', status: 'active' });
  await t.db.knex('local_accounts').insert({
    username: o.username,
    person_id: o.id,
    password_hash: (await t.db.knex('local_accounts').where({ username: 'cw-admin' }).first()).password_hash,
  });
  for (const unit of ['finance', 'academic-affairs']) {
    const granted = await as(t, 'it-officer').post('/api/v1/role-assignments', {
      subject: o.id,
      role: 'handler',
      unit,
    });
    expect(granted.status, JSON.stringify(granted.body)).to.equal(201);
  }
  const base = reimbursement('any');
  const definition = {
    ...base,
    nodes: [
      base.nodes[0],
      base.nodes[1],
      {
        key: 'teaching',
        kind: 'approve',
        name: '教务处审批',
        handlers: { type: 'role', role: 'handler', unit: 'academic-affairs' },
        timeLimit: { workingDays: 3 },
      },
      {
        key: 'named',
        kind: 'approve',
        name: '指定复核',
        handlers: { type: 'people', people: [o.id] },
        timeLimit: { workingDays: 2 },
      },
      {
        key: 'pay',
        kind: 'complete',
        name: '办结',
        handlers: { type: 'people', people: ['T0301'] },
        timeLimit: { hours: 8 },
      },
    ],
  };
  const { itemId } = await onlineItem(t, o.code, definition);
  const step = async (who: string, a: AppBody, action = 'approve'): Promise<AppBody> => {
    const task = a.currentTasks.find((x) => x.status === 'open')!;
    if (task.assignee === null) expect((await act(t, who, task.id, 'claim')).status).to.equal(200);
    if (action === 'claim') return a;
    const res = await act(t, who, task.id, 'approve');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as AppBody;
  };
  const claimed = await step(o.username, await apply(t, itemId), 'claim');
  const teaching = await step(o.username, await step('cw-handler', await apply(t, itemId)), 'claim');
  const named = await step('jw-handler', await step('cw-handler', await apply(t, itemId)));
  expect(named.currentTasks.map((x) => [x.node, x.assignee])).to.deep.equal([['named', o.id]]);
  return { itemId, finance: [claimed.id, named.id], elsewhere: teaching.id };
}

/** The applications in which the person holds a live task, claim or delegation, with the unit of each task's pool. */
export async function liveWorkOf(t: TestApp, person: string): Promise<Array<[string, string | null]>> {
  const rows = await t.db
    .knex('tasks')
    .whereIn('status', ['open', 'waiting'])
    .where((w) => w.where('assignee', person).orWhere('delegated_by', person))
    .orderBy('application_id')
    .select('application_id', 'candidate_unit');
  return rows.map((r) => [r.application_id as string, r.candidate_unit as string | null]);
}
