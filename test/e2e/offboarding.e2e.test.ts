import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement, taskOf, type ProgressBody } from './application-helpers.js';

describe('offboarding and hand-over 交接 (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-HAND', reimbursement('all'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  const live = async (person: string) =>
    Number(
      (
        await t.db
          .knex('tasks')
          .whereIn('status', ['open', 'waiting'])
          .where((w) => w.where('assignee', person).orWhere('delegated_by', person))
          .count({ n: '*' })
      )[0]!.n,
    );

  it('refuses a successor who is not active staff, and changes nothing', async () => {
    const res = await as(t, 'it-officer').post('/api/v1/people/T0302/offboarding', {
      status: 'left',
      successor: '2024110101',
    });
    expect(res.status).to.equal(400);
    expect(res.body.errors[0].path).to.equal('/successor');
    expect((await t.db.knex('people').where({ id: 'T0302' }).first()).status).to.equal('active');
    expect((await as(t, 'cw-admin').post('/api/v1/people/T0302/offboarding', { status: 'left' })).status).to.equal(403);
  });

  it('hands over every pending task, claim and delegation to the successor, ends sessions, revokes roles, in one audited step', async () => {
    // a claimed pool task
    const a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    // a task by name, at the payment step
    let b = await apply(t, itemId);
    await act(t, 'cw-handler', b.currentTasks[0]!.id, 'claim');
    b = (await act(t, 'cw-handler', b.currentTasks[0]!.id, 'approve')).body;
    b = (await act(t, 'jw-admin', taskOf(b, 'T0101'), 'approve')).body;
    b = (await act(t, 'jw-handler', taskOf(b, 'T0102'), 'approve')).body;
    expect(b.currentTasks[0]).to.include({ node: 'pay', assignee: 'T0302' });
    // a task cw-handler delegated to someone
    const c = await apply(t, itemId);
    await act(t, 'cw-handler', c.currentTasks[0]!.id, 'claim');
    await act(t, 'cw-handler', c.currentTasks[0]!.id, 'delegate', { to: 'T0102' });
    const token = await t.login('cw-handler');
    expect(await live('T0302')).to.equal(3);

    const res = await as(t, 'it-officer').post('/api/v1/people/T0302/offboarding', {
      status: 'left',
      successor: 'T0301',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ personId: 'T0302', status: 'left', successor: 'T0301', sessionsEnded: 1 });
    expect(res.body.rolesRevoked).to.deep.equal([{ subject: 'T0302', role: 'handler', unit: 'finance' }]);
    expect(res.body.tasks.map((x: { to: string }) => x.to).sort()).to.deep.equal(['T0301', 'T0301', 'T0301']);

    expect(await live('T0302'), 'nothing is left with the departed person').to.equal(0);
    expect(
      (await request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status,
      'sessions ended',
    ).to.equal(401);
    expect(
      await t.container.ports.enforcer.can({
        subject: 'T0302',
        unit: 'finance',
        object: 'service-item',
        action: 'read',
      }),
    ).to.equal(false);
    const seen = (await as(t, 'cw-admin').get(`/api/v1/applications/${b.id}`)).body as ProgressBody;
    expect(seen.currentTasks[0]).to.include({ node: 'pay', assignee: 'T0301' });
    expect(seen.history.at(-1)).to.deep.include({ action: 'handed-over', detail: { from: 'T0302', to: 'T0301' } });
    const delegated = await t.db.knex('tasks').where({ application_id: c.id, status: 'open' }).first();
    expect([delegated.assignee, delegated.delegated_by]).to.deep.equal(['T0102', 'T0301']);
    const audits = await t.db
      .knex('audit_log')
      .where({ entity_type: 'person', entity_id: 'T0302', action: 'person.offboarded' });
    expect(audits).to.have.length(1);
    t.forgetLogins();
  });

  it("without a successor, a claimed task goes back to its pool and a named one to the unit's service admins", async () => {
    await t.db
      .knex('people')
      .insert({ id: 'T0960', name: '临时办理人', type: 'staff', unit_key: 'finance', status: 'active' });
    await as(t, 'it-officer').post('/api/v1/role-assignments', { subject: 'T0960', role: 'handler', unit: 'finance' });
    await t.db.knex('local_accounts').insert({
      username: 'temp-handler',
      person_id: 'T0960',
      password_hash: (await t.db.knex('local_accounts').where({ username: 'cw-admin' }).first()).password_hash,
    });
    const named = reimbursement('any');
    named.nodes[1] = { ...named.nodes[1]!, handlers: { type: 'people', people: ['T0960'] } } as never;
    // T0302 left in the previous test: the launch gate would (rightly) refuse a step only they handle
    named.nodes[3] = { ...named.nodes[3]!, handlers: { type: 'people', people: ['T0301'] } } as never;
    const { itemId: namedItem } = await onlineItem(t, 'CW-HAND2', named);
    const a = await apply(t, itemId);
    await act(t, 'temp-handler', a.currentTasks[0]!.id, 'claim');
    const b = await apply(t, namedItem);
    expect(b.currentTasks[0]).to.include({ assignee: 'T0960' });
    const res = await as(t, 'it-officer').post('/api/v1/people/T0960/offboarding', { status: 'retired' });
    expect(res.body.tasks.map((x: { to: string }) => x.to).sort()).to.deep.equal([
      'handler@finance',
      'unit-service-admin@finance',
    ]);
    const pooled = await t.db.knex('tasks').where({ id: a.currentTasks[0]!.id }).first();
    expect([pooled.assignee, pooled.candidate_role, pooled.candidate_unit, pooled.status]).to.deep.equal([
      null,
      'handler',
      'finance',
      'open',
    ]);
    const escalated = await t.db.knex('tasks').where({ id: b.currentTasks[0]!.id }).first();
    expect([escalated.assignee, escalated.candidate_role, escalated.reason]).to.deep.equal([
      null,
      'unit-service-admin',
      'HANDOVER',
    ]);
    expect(
      (await as(t, 'cw-admin').get('/api/v1/me/todo-count')).body.claimable,
      'the finance service admin sees it',
    ).to.be.greaterThan(0);
  });
});
