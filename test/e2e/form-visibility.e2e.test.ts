import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { act, apply, taskOf } from './application-helpers.js';
import { as, onlineItem } from './lifecycle-helpers.js';

/**
 * A grant with two steps: finance (cw-handler) needs the amount and the account to pay into; the
 * adviser at the end (the student-affairs handler) needs to know what it is for. The bank account
 * is personal (`x-sensitive`).
 */
const grant = {
  form: {
    type: 'object',
    required: ['amount', 'purpose', 'bank_account'],
    properties: {
      amount: { type: 'number', minimum: 1 },
      purpose: { type: 'string' },
      bank_account: { type: 'string', 'x-sensitive': true },
    },
  },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    {
      key: 'finance',
      kind: 'review',
      name: '财务审核',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 2 },
      fields: { visible: ['amount', 'bank_account'] },
    },
    {
      key: 'done',
      kind: 'complete',
      name: '办结',
      handlers: { type: 'people', people: ['T0202'] },
      timeLimit: { workingDays: 1 },
      fields: { visible: ['purpose'] },
    },
  ],
};

const ACCOUNT = '6222020200113445';

/** Every response that carries the form gives each reader only what their step shows (e2e, real server). */
describe('the form in every response, as each reader may see it (e2e)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let id: string;
  let financeTask: string;
  const all = { amount: 3000, purpose: '学术会议差旅资助', bank_account: ACCOUNT };

  before(async () => {
    t = await createTestApp();
    const { itemId } = await onlineItem(t, 'CW-GRANTV', grant);
    const a = await apply(t, itemId, 'student-xx', all);
    id = a.id;
    financeTask = taskOf(a, 'T0302');
    expect(a.form, 'the applicant, answered on submit').to.deep.equal(all);
  });
  after(() => t.close());

  const formSeenBy = async (username: string) => {
    const res = await as(t, username).get(`/api/v1/applications/${id}`);
    expect(res.status, `${username}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body.form as Record<string, unknown>;
  };

  it('the applicant sees all of it; the finance handler its fields, the account in clear; the adviser only the purpose', async () => {
    expect(await formSeenBy('student-xx')).to.deep.equal(all);
    expect(await formSeenBy('cw-handler')).to.deep.equal({ amount: 3000, bank_account: ACCOUNT });
    const approved = await act(t, 'cw-handler', financeTask, 'approve', { comment: '同意' });
    expect(approved.status).to.equal(200);
    expect(approved.body.form, "the action's answer too").to.deep.equal({ amount: 3000, bank_account: ACCOUNT });
    expect(await formSeenBy('xg-handler')).to.deep.equal({ purpose: '学术会议差旅资助' });
  });

  it('overseers (the service admin, the auditor, the IT Office, the president office) see every field, the account masked', async () => {
    for (const overseer of ['cw-admin', 'auditor', 'it-officer', 'xb-officer']) {
      const res = await as(t, overseer).get(`/api/v1/applications/${id}`);
      expect(res.body.form, overseer).to.deep.equal({ ...all, bank_account: '6222********3445' });
      expect(JSON.stringify(res.body), `${overseer}: the account nowhere in clear`).not.to.contain(ACCOUNT);
    }
  });

  it('a comment answers with the commenter’s view of the form', async () => {
    const res = await as(t, 'xg-handler').post(`/api/v1/applications/${id}/comments`, { text: '已核对用途' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.form).to.deep.equal({ purpose: '学术会议差旅资助' });
  });
});
