import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { reimbursement } from './application-helpers.js';
import { as, onlineItem } from './lifecycle-helpers.js';

/**
 * 备案 (Art. 4(3)2, 6) over HTTP on real PostgreSQL: the unit files, the IT Office grants from the
 * filing or refuses it; a refused filing grants nothing, and every role held shows its filing.
 */
describe('role filings (备案) over HTTP (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    await t.db.knex('people').insert([
      { id: 'T0910', name: '新会计', type: 'staff', unit_key: 'finance', status: 'active' },
      { id: 'T0911', name: '新出纳', type: 'staff', unit_key: 'finance', status: 'active' },
      { id: 'T0912', name: '新主管', type: 'staff', unit_key: 'finance', status: 'active' },
    ]);
    ({ itemId } = await onlineItem(t, 'CW-FIL', reimbursement('all')));
  });
  after(async () => {
    await t.close();
  });

  const file = (who: string, body: Record<string, unknown>) =>
    as(t, who).post('/api/v1/role-filings', { role: 'handler', unit: 'finance', reason: '新进财务人员', ...body });
  const decide = (who: string, id: string, body: unknown) =>
    as(t, who).post(`/api/v1/role-filings/${id}/decision`, body);
  const held = async (subject: string) =>
    (await as(t, 'it-officer').get(`/api/v1/role-assignments?subject=${subject}`)).body.items as Array<{
      role: string;
      unit: string;
      filingId: string | null;
    }>;

  it('a refused filing grants nothing; the unit reads the reason', async () => {
    const f = await file('cw-admin', { subject: 'T0910', items: [{ itemId, nodes: ['check'] }] });
    expect(f.status, JSON.stringify(f.body)).to.equal(201);
    expect(f.body).to.deep.include({ state: 'pending', unit: 'finance', items: [{ itemId, nodes: ['check'] }] });
    const queue = await as(t, 'it-officer').get('/api/v1/role-filings?state=pending');
    expect(queue.body.items.map((x: { id: string }) => x.id)).to.include(f.body.id);
    const refused = await decide('it-officer', f.body.id, { decision: 'refuse', reason: '该岗位编制已满' });
    expect([refused.status, refused.body.state]).to.deep.equal([200, 'refused']);
    expect(await held('T0910')).to.deep.equal([]);
    expect(await t.db.knex('casbin_rule').where({ ptype: 'g', v0: 'T0910' })).to.deep.equal([]);
    const mine = await as(t, 'cw-admin').get(`/api/v1/role-filings/${f.body.id}`);
    expect(mine.body.decision.comment).to.equal('该岗位编制已满');
    expect((await decide('it-officer', f.body.id, { decision: 'accept' })).status).to.equal(409);
    expect(await held('T0910')).to.deep.equal([]);
  });

  it('an accepted filing grants the role, which names the filing; the new handler can act at once', async () => {
    const f = await file('cw-admin', { subject: 'T0911', items: [{ itemId, nodes: [] }] });
    expect((await decide('cw-admin', f.body.id, { decision: 'accept' })).status, 'the unit does not grant').to.equal(
      403,
    );
    const accepted = await decide('it-officer', f.body.id, { decision: 'accept', comment: '同意' });
    expect([accepted.status, accepted.body.state]).to.deep.equal([200, 'accepted']);
    expect(await held('T0911')).to.deep.equal([
      { subject: 'T0911', role: 'handler', unit: 'finance', filingId: f.body.id },
    ]);
    const granted = await t.db.knex('audit_log').where({ action: 'role.granted', entity_id: 'T0911' });
    expect(granted.map((e) => e.after)).to.deep.equal([
      { subject: 'T0911', role: 'handler', unit: 'finance', filingId: f.body.id },
    ]);
  });

  it('a grant without a filing is still possible for the IT Office, and says so', async () => {
    expect(
      (
        await as(t, 'it-officer').post('/api/v1/role-assignments', {
          subject: 'T0912',
          role: 'handler',
          unit: 'finance',
        })
      ).status,
    ).to.equal(201);
    expect(await held('T0912')).to.deep.equal([{ subject: 'T0912', role: 'handler', unit: 'finance', filingId: null }]);
    const granted = await t.db.knex('audit_log').where({ action: 'role.granted', entity_id: 'T0912' });
    expect(granted.map((e) => e.after)).to.deep.equal([
      { subject: 'T0912', role: 'handler', unit: 'finance', filingId: null, withoutFiling: true },
    ]);
  });

  it('refuses, naming each field, and keeps nothing: another unit, a global role, unknown nodes, a missing certification', async () => {
    const before = await t.db.knex('role_filings').count({ n: '*' });
    expect((await file('cw-admin', { subject: 'T0910', unit: 'academic-affairs' })).status).to.equal(403);
    const bad = await file('cw-admin', {
      subject: '2024110101',
      role: 'unit-service-admin',
      items: [{ itemId, nodes: ['check', 'nowhere'] }],
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.include.members([
      '/subject',
      '/certificationId',
      '/items/0/nodes/1',
    ]);
    expect((await file('cw-admin', { subject: 'T0910', role: 'auditor' })).body.errors[0].path).to.equal('/role');
    expect(await t.db.knex('role_filings').count({ n: '*' })).to.deep.equal(before);
  });
});
