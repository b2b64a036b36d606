import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement, taskOf, type AppBody, type ProgressBody } from './application-helpers.js';

describe('working together on tasks (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  let anyItemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-COOP', reimbursement('all'))).itemId;
    anyItemId = (await onlineItem(t, 'CW-ANY', reimbursement('any'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  /** An application claimed by cw-handler at the finance check. */
  async function atCheck(item = itemId): Promise<AppBody> {
    const a = await apply(t, item);
    return (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim')).body;
  }
  async function atSign(item = itemId): Promise<AppBody> {
    const a = await atCheck(item);
    return (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'approve')).body;
  }

  it("转办: the task becomes the new person's; students and unknown people are refused", async () => {
    let a = await atCheck();
    const task = a.currentTasks[0]!.id;
    const student = await act(t, 'cw-handler', task, 'transfer', { to: '2024120202' });
    expect(student.status).to.equal(400);
    expect(student.body.errors[0]).to.include({ path: '/to' });
    expect((await act(t, 'cw-handler', task, 'transfer', { to: 'nobody' })).status).to.equal(400);
    a = (await act(t, 'cw-handler', task, 'transfer', { to: 'T0301', comment: '金额较大，请科长处理' })).body;
    expect(a.currentTasks[0]).to.include({ assignee: 'T0301' });
    expect((await act(t, 'cw-handler', task, 'approve')).status).to.equal(403);
    a = (await act(t, 'cw-admin', task, 'approve')).body;
    expect(a.activeNode).to.equal('sign');
  });

  it('委派: the delegate hands the task back; only then the owner decides', async () => {
    let a = await atCheck();
    const task = a.currentTasks[0]!.id;
    a = (await act(t, 'cw-handler', task, 'delegate', { to: 'T0102' })).body;
    expect(a.currentTasks[0]).to.include({ assignee: 'T0102' });
    const decide = await act(t, 'jw-handler', task, 'approve');
    expect(decide.status).to.equal(409);
    expect(decide.body.code).to.equal('TASK.DELEGATED');
    a = (await act(t, 'jw-handler', task, 'resolve', { comment: '票据已核' })).body;
    expect(a.currentTasks[0]).to.include({ assignee: 'T0302' });
    a = (await act(t, 'cw-handler', task, 'approve')).body;
    expect(a.activeNode).to.equal('sign');
  });

  it('加签 before: the added person gives an opinion first, then my task reopens; the step still needs both signers', async () => {
    let a = await atSign();
    const mine = taskOf(a, 'T0101');
    a = (await act(t, 'jw-admin', mine, 'add-signer', { person: 'T0010', position: 'before' })).body;
    expect(a.currentTasks.find((x) => x.id === mine)!.status).to.equal('waiting');
    expect((await act(t, 'jw-admin', mine, 'approve')).status).to.equal(409);
    a = (await act(t, 'xb-admin', taskOf(a, 'T0010'), 'approve', { comment: '建议同意' })).body;
    expect(a.activeNode).to.equal('sign');
    expect(a.currentTasks.find((x) => x.id === mine)!.status).to.equal('open');
    a = (await act(t, 'jw-admin', mine, 'approve')).body;
    expect(a.activeNode).to.equal('sign');
    a = (await act(t, 'jw-handler', taskOf(a, 'T0102'), 'approve')).body;
    expect(a.activeNode).to.equal('pay');
  });

  it('加签 after adds a countersigner; 减签 removes an added one, and only an added one', async () => {
    let a = await atSign();
    const mine = taskOf(a, 'T0101');
    a = (await act(t, 'jw-admin', mine, 'add-signer', { person: 'T0011', position: 'after' })).body;
    expect(a.currentTasks.map((x) => x.assignee).sort()).to.deep.equal(['T0011', 'T0101', 'T0102']);
    const original = await act(t, 'jw-admin', mine, 'remove-signer', { signerTaskId: taskOf(a, 'T0102') });
    expect(original.status).to.equal(403);
    expect(original.body.code).to.equal('TASK.SIGNER_NOT_ADDED');
    a = (await act(t, 'jw-handler', taskOf(a, 'T0102'), 'approve')).body;
    a = (await act(t, 'jw-admin', mine, 'remove-signer', { signerTaskId: taskOf(a, 'T0011') })).body;
    expect(a.activeNode).to.equal('sign');
    a = (await act(t, 'jw-admin', mine, 'approve')).body;
    expect(a.activeNode, 'the removed signer is not waited for').to.equal('pay');
  });

  it('加签 after in an "any one" step is refused: the first approval decides there', async () => {
    const a = await atSign(anyItemId);
    const res = await act(t, 'jw-admin', taskOf(a, 'T0101'), 'add-signer', { person: 'T0011', position: 'after' });
    expect(res.status).to.equal(409);
    expect(res.body.code).to.equal('TASK.ADD_SIGNER_NOT_APPLICABLE');
  });

  it('抄送: a copied person may read the application, and do nothing else', async () => {
    const a = await atCheck();
    expect((await as(t, 'student-hk').get(`/api/v1/applications/${a.id}`)).status).to.equal(403);
    expect((await act(t, 'cw-handler', a.currentTasks[0]!.id, 'copy', { people: ['2024120202'] })).status).to.equal(
      200,
    );
    expect((await as(t, 'student-hk').get(`/api/v1/applications/${a.id}`)).status).to.equal(200);
    expect((await act(t, 'student-hk', a.currentTasks[0]!.id, 'approve')).status).to.equal(403);
  });

  it("comments: a handler's private note never reaches the applicant; an applicant cannot write one", async () => {
    const a = await atCheck();
    const base = `/api/v1/applications/${a.id}/comments`;
    expect((await as(t, 'cw-handler').post(base, { text: '此人去年也有类似报销', private: true })).status).to.equal(
      200,
    );
    expect((await as(t, 'cw-handler').post(base, { text: '请补充会议通知' })).status).to.equal(200);
    expect((await as(t, 'student-xx').post(base, { text: 'x', private: true })).status).to.equal(400);
    expect((await as(t, 'student-hk').post(base, { text: '路过' })).status).to.equal(403);
    const seen = (await as(t, 'student-xx').get(`/api/v1/applications/${a.id}`)).body as ProgressBody;
    const comments = seen.history.filter((h) => h.action === 'commented').map((h) => h.comment);
    expect(comments).to.deep.equal(['请补充会议通知']);
    const handlerView = (await as(t, 'cw-handler').get(`/api/v1/applications/${a.id}`)).body as ProgressBody;
    expect(handlerView.history.filter((h) => h.action === 'commented')).to.have.length(2);
  });

  it('comments: the auditor and the IT Office only read; their comment, private or not, is 403 problem+json and nothing is appended', async () => {
    const a = await atCheck();
    const base = `/api/v1/applications/${a.id}/comments`;
    for (const reader of ['auditor', 'it-officer'])
      for (const isPrivate of [true, false]) {
        const refused = await as(t, reader).post(base, { text: '审计意见', private: isPrivate });
        expect(refused.status, `${reader}, private: ${isPrivate}`).to.equal(403);
        expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(refused.body.code).to.equal('APPLICATION.COMMENT_NOT_ALLOWED');
      }
    const read = await as(t, 'auditor').get(`/api/v1/applications/${a.id}`);
    expect(read.status, 'the auditor still reads it').to.equal(200);
    expect((read.body as ProgressBody).history.filter((h) => h.action === 'commented')).to.deep.equal([]);
    const audit = await t.db.knex('audit_log').where({ action: 'application.commented', entity_id: a.id });
    expect(audit).to.deep.equal([]);
  });

  it("催办: by the applicant or the owning unit's admin, at most once per window each", async () => {
    const a = await atCheck();
    const path = `/api/v1/applications/${a.id}/urge`;
    const first = await as(t, 'student-xx').post(path);
    expect(first.status).to.equal(200);
    expect(first.body.recorded.at(-1)).to.deep.include({ action: 'urged', detail: { holders: ['T0302'] } });
    const again = await as(t, 'student-xx').post(path);
    expect(again.status).to.equal(409);
    expect(again.body.code).to.equal('APPLICATION.URGED_RECENTLY');
    expect((await as(t, 'cw-admin').post(path)).status).to.equal(200);
    expect((await as(t, 'jw-admin').post(path)).status, "an involved unit's admin reads but does not urge").to.equal(
      403,
    );
  });

  it('form edits at a step: only the fields the step may edit, still valid against the schema', async () => {
    const a = await atCheck();
    const task = a.currentTasks[0]!.id;
    const refused = await act(t, 'cw-handler', task, 'approve', { form: { amount: 1, invoice_no: 'FP-9' } });
    expect(refused.status).to.equal(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/form/amount']);
    const invalid = await act(t, 'cw-handler', task, 'approve', { form: { invoice_no: 42 } });
    expect(invalid.status).to.equal(400);
    expect(invalid.body.errors[0].path).to.equal('/form/invoice_no');
    const done = await act(t, 'cw-handler', task, 'approve', { form: { invoice_no: 'FP-9' } });
    expect(done.status).to.equal(200);
    expect((done.body as { form: Record<string, unknown> }).form.invoice_no).to.equal('FP-9');
  });
});
