import { expect } from 'chai';
import { BACKFILL_APPLICATION_INSTANTS } from '../../migrations/20261207000000_application_instants.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { act, apply, taskOf } from './application-helpers.js';
import { as, onlineItem } from './lifecycle-helpers.js';

const twoSteps = {
  form: {
    type: 'object',
    required: ['amount'],
    properties: { amount: { type: 'number' }, purpose: { type: 'string' } },
  },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    {
      key: 'check',
      kind: 'review',
      name: '审核',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 2 },
    },
    {
      key: 'done',
      kind: 'complete',
      name: '办结',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 1 },
    },
  ],
};

/** When applications were submitted and ended: kept as they happen, and filled in from history for older ones (e2e). */
describe('application instants: submitted_at and ended_at (e2e)', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const instants = async () =>
    (await t.db.knex('applications').select('id', 'state', 'submitted_at', 'ended_at').orderBy('created_at')) as Array<{
      id: string;
      state: string;
      submitted_at: Date | null;
      ended_at: Date | null;
    }>;
  const historyAt = async (id: string, action: string) =>
    (await t.db.knex('application_history').where({ application_id: id, action }).min({ at: 'at' }).first())!
      .at as Date;

  it('are written with the changes that make them, and the migration derives the same from the history', async () => {
    const { itemId } = await onlineItem(t, 'CW-INST', twoSteps);
    const done = await apply(t, itemId, 'student-xx', { amount: 1 });
    const checked = await act(t, 'cw-handler', taskOf(done, 'T0302'), 'approve');
    const completed = await act(t, 'cw-handler', taskOf(checked.body, 'T0302'), 'approve');
    expect(completed.body.state, JSON.stringify(completed.body)).to.equal('completed');
    const gone = await apply(t, itemId, 'student-xx', { amount: 2 });
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${gone.id}/withdrawal`)).status).to.equal(200);
    const draft = await as(t, 'student-xx').post('/api/v1/applications', {
      itemId,
      form: { amount: 1, purpose: 'x' },
      submit: false,
    });
    expect(draft.status, JSON.stringify(draft.body)).to.be.oneOf([200, 201]);

    const written = await instants();
    const byId = new Map(written.map((r) => [r.id, r]));
    expect(byId.get(gone.id)).to.deep.include({
      state: 'withdrawn',
      submitted_at: await historyAt(gone.id, 'submitted'),
      ended_at: await historyAt(gone.id, 'withdrawn'),
    });
    expect(byId.get(draft.body.id as string)).to.deep.include({ state: 'draft', submitted_at: null, ended_at: null });
    expect(byId.get(done.id)).to.deep.include({
      state: 'completed',
      submitted_at: await historyAt(done.id, 'submitted'),
      ended_at: await historyAt(done.id, 'completed'),
    });

    // applications from before the columns: the migration fills them in from their history
    await t.db.knex('applications').update({ submitted_at: null, ended_at: null });
    await t.db.knex.raw(BACKFILL_APPLICATION_INSTANTS);
    expect(await instants()).to.deep.equal(written);
  });
});
