import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { application, as, definition, launchableItem } from './lifecycle-helpers.js';

/**
 * The whole governed path of Art. 8–12 through HTTP: apply -> two approvals -> define -> confirm ->
 * gate refused with the missing list -> fix -> launch -> change -> relaunch -> offboard -> readable.
 */
describe('service-item lifecycle over HTTP (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  let v1: string;
  let v2: string;
  /** Successful state changes so far: each must have left exactly one audit entry and one outbox event. */
  let changes = 0;

  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  // sign-ins are audited too (entity 'account'); the lifecycle's state changes are the rest
  const auditCount = async () =>
    Number((await t.db.knex('audit_log').whereNot({ entity_type: 'account' }).count({ n: '*' }))[0]!.n);
  const outboxCount = async () => Number((await t.db.knex('outbox').count({ n: '*' }))[0]!.n);
  const base = () => `/api/v1/service-items/${itemId}`;
  const catalogueCodes = async () =>
    (await as(t, 'student-xx').get('/api/v1/catalogue')).body.items as Array<{ code: string; versionNumber: number }>;

  it('a unit service admin files an onboarding application', async () => {
    const res = await as(t, 'cw-admin').post('/api/v1/service-items', application);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.state).to.equal('onboarding_pending');
    expect(res.body.involvedUnits).to.deep.equal(['finance', 'academic-affairs']);
    itemId = res.body.id;
    changes++;
  });

  it('refuses to file for another unit (403) and a taken code (409)', async () => {
    const other = await as(t, 'jw-admin').post('/api/v1/service-items', { ...application, code: 'CW-OTHER' });
    expect(other.status).to.equal(403);
    expect(other.headers['content-type']).to.match(/application\/problem\+json/);
    const taken = await as(t, 'cw-admin').post('/api/v1/service-items', application);
    expect(taken.status).to.equal(409);
    expect(taken.body.code).to.equal('SERVICE_ITEM.CODE_TAKEN');
  });

  it('only the two offices approve: a student and another unit admin get 403', async () => {
    expect((await as(t, 'student-xx').post(`${base()}/approvals`)).status).to.equal(403);
    expect((await as(t, 'jw-admin').post(`${base()}/approvals`)).status).to.equal(403);
    expect((await as(t, 'cw-admin').post(`${base()}/approvals`)).status).to.equal(403);
  });

  it("the President's Office approves; approving twice is 409 and writes nothing", async () => {
    const first = await as(t, 'xb-officer').post(`${base()}/approvals`, { comment: '同意入驻' });
    expect(first.status).to.equal(200);
    expect(first.body.state).to.equal('onboarding_pending');
    changes++;
    const audits = await auditCount();
    const again = await as(t, 'xb-officer').post(`${base()}/approvals`);
    expect(again.status).to.equal(409);
    expect(again.body.code).to.equal('SERVICE_ITEM.ALREADY_APPROVED');
    expect(await auditCount()).to.equal(audits);
  });

  it('the IT Office approves second and the item moves to building', async () => {
    const res = await as(t, 'it-officer').post(`${base()}/approvals`);
    expect(res.status).to.equal(200);
    expect(res.body.state).to.equal('building');
    changes++;
  });

  it('an invalid definition is refused with every field path, and nothing is stored', async () => {
    const bad = definition();
    bad.nodes[1] = { ...bad.nodes[1]!, handlers: { type: 'role', role: 'dean', unit: 'nowhere' } } as never;
    (bad.nodes[3] as Record<string, unknown>).next = ['apply'];
    (bad.form.properties.amount as Record<string, unknown>).minimum = 'zero';
    (bad.nodes[2] as Record<string, unknown>).timeLimit = undefined;
    const res = await as(t, 'cw-admin').put(`${base()}/draft/definition`, bad);
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('PROCESS_DEFINITION.INVALID');
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).to.include.members([
      '/nodes/1/handlers/role',
      '/nodes/1/handlers/unit',
      '/nodes/2/timeLimit',
      '/nodes/3/next',
      '/form/properties/amount/minimum',
    ]);
    const item = await as(t, 'cw-admin').get(base());
    expect(item.body.versions).to.deep.equal([]);
  });

  it("another unit's admin may not define the process (403)", async () => {
    expect((await as(t, 'jw-admin').put(`${base()}/draft/definition`, definition())).status).to.equal(403);
  });

  it('the owning unit defines version 1 (a role nobody holds yet)', async () => {
    const res = await as(t, 'cw-admin').put(`${base()}/draft/definition`, definition('department-head'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ number: 1, state: 'draft' });
    v1 = res.body.id;
    changes++;
  });

  it('the launch gate refuses with the complete list of what is missing', async () => {
    const res = await as(t, 'cw-admin').post(`${base()}/versions/${v1}/launch`);
    expect(res.status).to.equal(409);
    expect(res.body.code).to.equal('SERVICE_ITEM.LAUNCH_GATE_NOT_MET');
    const missing = (res.body.missing as Array<Record<string, string>>).map(({ kind, unit, node, role }) => ({
      kind,
      unit,
      node,
      role,
    }));
    expect(missing).to.deep.equal([
      { kind: 'confirmation', unit: 'finance', node: undefined, role: undefined },
      { kind: 'confirmation', unit: 'academic-affairs', node: undefined, role: undefined },
      { kind: 'handler', unit: 'academic-affairs', node: 'teaching', role: 'department-head' },
    ]);
  });

  it('after the fix and both confirmations the version launches and enters the catalogue', async () => {
    const fixed = await as(t, 'cw-admin').put(`${base()}/draft/definition`, definition('handler'));
    expect(fixed.status).to.equal(200);
    changes++;
    expect((await as(t, 'student-xx').post(`${base()}/versions/${v1}/confirmations`)).status).to.equal(403);
    expect((await as(t, 'cw-admin').post(`${base()}/versions/${v1}/confirmations`)).status).to.equal(200);
    expect((await as(t, 'jw-admin').post(`${base()}/versions/${v1}/confirmations`)).status).to.equal(200);
    changes += 2;
    const twice = await as(t, 'jw-admin').post(`${base()}/versions/${v1}/confirmations`);
    expect(twice.status).to.equal(409);
    expect((await catalogueCodes()).map((c) => c.code)).to.not.include('CW-CLBX');
    const res = await as(t, 'cw-admin').post(`${base()}/versions/${v1}/launch`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.state).to.equal('online');
    changes++;
    expect(await catalogueCodes()).to.deep.include({
      ...(await catalogueCodes()).find((c) => c.code === 'CW-CLBX'),
      code: 'CW-CLBX',
      versionNumber: 1,
    });
  });

  it('a change is a request to the IT Office (变更申请): nothing opens until it decides, and a refusal opens nothing', async () => {
    const NEEDS = [{ aspect: 'form', description: '增加发票号，必填' }];
    const versions = async () => (await as(t, 'cw-admin').get(base())).body.versions as Array<{ state: string }>;
    expect(
      (await as(t, 'jw-admin').post(`${base()}/change-requests`, { reason: '增加附件', needs: NEEDS })).status,
    ).to.equal(403);
    const incomplete = await as(t, 'cw-admin').post(`${base()}/change-requests`, { reason: '增加发票号必填' });
    expect([incomplete.status, incomplete.body.errors.map((e: { path: string }) => e.path)]).to.deep.equal([
      400,
      ['/needs'],
    ]);

    const first = await as(t, 'cw-admin').post(`${base()}/change-requests`, { reason: '与报销新规一致', needs: NEEDS });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body).to.deep.include({ state: 'pending', itemCode: 'CW-CLBX', versionId: null, decision: null });
    changes++;
    expect((await as(t, 'cw-admin').get(base())).body.state).to.equal('change_pending');
    expect((await catalogueCodes()).find((c) => c.code === 'CW-CLBX')?.versionNumber, 'v1 keeps serving').to.equal(1);
    expect((await as(t, 'cw-admin').put(`${base()}/draft/definition`, definition('handler'))).status).to.equal(409);
    expect(await versions()).to.have.length(1);
    expect(
      (await as(t, 'cw-admin').post(`${base()}/change-requests`, { reason: 'again', needs: NEEDS })).status,
    ).to.equal(409);
    const queue = await as(t, 'it-officer').get('/api/v1/change-requests?state=pending');
    expect(queue.body.items.map((r: { id: string }) => r.id)).to.deep.equal([first.body.id]);
    const told = (await as(t, 'it-officer').get('/api/v1/me/messages')).body.items as Array<{ kind: string }>;
    expect(told.map((m) => m.kind)).to.include('change-request.filed');

    const decide = (who: string, id: string, body: unknown) =>
      as(t, who).post(`/api/v1/change-requests/${id}/decision`, body);
    for (const who of ['cw-admin', 'xb-officer', 'auditor'])
      expect((await decide(who, first.body.id, { decision: 'accept' })).status, who).to.equal(403);
    const refused = await decide('it-officer', first.body.id, {
      decision: 'refuse',
      reason: '请先与财务一体化平台对接',
    });
    expect(refused.status).to.equal(200);
    expect(refused.body).to.deep.include({ state: 'refused', versionId: null });
    changes++;
    expect((await as(t, 'cw-admin').get(base())).body.state).to.equal('online');
    expect(await versions(), 'a refused change opens no draft').to.have.length(1);
    expect((await decide('it-officer', first.body.id, { decision: 'accept' })).status).to.equal(409);
    const mine = await as(t, 'cw-admin').get(`/api/v1/change-requests?itemId=${itemId}`);
    expect(
      mine.body.items.map((r: { state: string; decision: { comment: string } }) => [r.state, r.decision.comment]),
    ).to.deep.equal([['refused', '请先与财务一体化平台对接']]);
    expect((await as(t, 'xg-admin').get(`/api/v1/change-requests/${first.body.id}`)).status).to.equal(403);

    const second = await as(t, 'cw-admin').post(`${base()}/change-requests`, {
      reason: '增加发票号必填',
      needs: NEEDS,
    });
    expect(second.status).to.equal(201);
    changes++;
    const accepted = await decide('it-officer', second.body.id, { decision: 'accept', comment: '同意' });
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    expect(accepted.body.state).to.equal('accepted');
    changes++;
    v2 = accepted.body.versionId;
    const item = (await as(t, 'cw-admin').get(base())).body;
    expect(item.state).to.equal('online');
    const draft = item.versions.find((v: { id: string }) => v.id === v2);
    const online = item.versions.find((v: { id: string }) => v.id === v1);
    expect(draft).to.deep.include({ number: 2, state: 'draft', changeReason: '增加发票号必填' });
    expect(draft.definition).to.deep.equal(online.definition);
    expect((await catalogueCodes()).find((c) => c.code === 'CW-CLBX')?.versionNumber).to.equal(1);
  });

  it('version 2 passes the same gate and replaces version 1, which is kept as superseded', async () => {
    const changed = definition('handler');
    changed.form.required.push('invoice_no');
    expect((await as(t, 'cw-admin').put(`${base()}/draft/definition`, changed)).status).to.equal(200);
    changes++;
    const early = await as(t, 'cw-admin').post(`${base()}/versions/${v2}/launch`);
    expect(early.status, JSON.stringify(early.body)).to.equal(409);
    expect((early.body.missing as unknown[]).length).to.equal(2);
    for (const admin of ['cw-admin', 'jw-admin']) {
      expect((await as(t, admin).post(`${base()}/versions/${v2}/confirmations`)).status).to.equal(200);
      changes++;
    }
    expect((await as(t, 'cw-admin').post(`${base()}/versions/${v2}/launch`)).status).to.equal(200);
    changes++;
    expect((await catalogueCodes()).find((c) => c.code === 'CW-CLBX')?.versionNumber).to.equal(2);
    const item = await as(t, 'cw-admin').get(base());
    expect(item.body.versions.map((v: { number: number; state: string }) => [v.number, v.state])).to.deep.equal([
      [1, 'superseded'],
      [2, 'online'],
    ]);
    expect(item.body.onlineVersionId).to.equal(v2);
  });

  it('a launched version is frozen', async () => {
    const res = await as(t, 'cw-admin').post(`${base()}/versions/${v1}/launch`);
    expect(res.status).to.equal(409);
    expect(res.body.code).to.equal('SERVICE_VERSION.NOT_DRAFT');
  });

  it('offboarding needs both approvals; the item stays online until then', async () => {
    const req = await as(t, 'cw-admin').post(`${base()}/offboarding-requests`, { reason: '并入财务一体化平台' });
    expect(req.status).to.equal(200);
    expect(req.body.state).to.equal('offboarding_pending');
    changes++;
    expect((await catalogueCodes()).map((c) => c.code)).to.include('CW-CLBX');
    expect((await as(t, 'it-officer').post(`${base()}/approvals`)).body.state).to.equal('offboarding_pending');
    changes++;
    expect((await as(t, 'xb-officer').post(`${base()}/approvals`)).body.state).to.equal('offline');
    changes++;
    expect((await catalogueCodes()).map((c) => c.code)).to.not.include('CW-CLBX');
  });

  it('an offline item and all its versions stay readable for admins and auditors', async () => {
    for (const who of ['cw-admin', 'jw-admin', 'auditor', 'xb-officer', 'it-officer']) {
      const res = await as(t, who).get(base());
      expect(res.status, who).to.equal(200);
      expect(res.body.state).to.equal('offline');
      expect(res.body.versions).to.have.length(2);
    }
    expect((await as(t, 'xg-admin').get(base())).status).to.equal(403);
    expect((await as(t, 'student-xx').get(base())).status).to.equal(403);
    const listed = await as(t, 'auditor').get('/api/v1/service-items?state=offline');
    expect(listed.body.items.map((i: { code: string }) => i.code)).to.deep.equal(['CW-CLBX']);
    const other = await as(t, 'xg-admin').get('/api/v1/service-items');
    expect(other.body.items).to.deep.equal([]);
  });

  it('an offline item accepts no lifecycle command', async () => {
    for (const [path, body] of [
      ['change-requests', { reason: 'x', needs: [{ aspect: 'other', description: 'x' }] }],
      ['offboarding-requests', { reason: 'x' }],
    ] as const) {
      const res = await as(t, 'cw-admin').post(`${base()}/${path}`, body);
      expect(res.status, path).to.equal(409);
    }
    expect((await as(t, 'xb-officer').post(`${base()}/approvals`)).status).to.equal(409);
  });

  it('every state change left exactly one audit entry and one outbox event', async () => {
    expect(await auditCount()).to.equal(changes);
    expect(await outboxCount()).to.equal(changes);
    const trail = await as(t, 'auditor').get(`/api/v1/audit-entries?entityType=service-item&entityId=${itemId}`);
    // newest first
    expect(trail.body.items.map((e: { action: string }) => e.action)).to.deep.equal([
      'service-item.offboarding-approved',
      'service-item.offboarding-approval-recorded',
      'service-item.offboarding-requested',
      'service-item.launched',
      'service-item.change-accepted',
      'service-item.change-requested',
      'service-item.change-refused',
      'service-item.change-requested',
      'service-item.launched',
      'service-item.onboarding-approved',
      'service-item.onboarding-approval-recorded',
      'service-item.onboarding-applied',
    ]);
    expect(trail.body.items.every((e: { requestId: string | null }) => typeof e.requestId === 'string')).to.equal(true);
    expect((await as(t, 'cw-admin').get('/api/v1/audit-entries')).status).to.equal(403);
  });

  it('unknown ids are 404 problems and malformed ids 400 problems', async () => {
    const unknown = await as(t, 'auditor').get('/api/v1/service-items/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.code).to.equal('SERVICE_ITEM.NOT_FOUND');
    const malformed = await as(t, 'auditor').get('/api/v1/service-items/not-a-uuid');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.errors[0]).to.include({ in: 'path', path: '/itemId' });
  });
});

describe('onboarding rejected, revised and re-applied (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('either office rejects with a reason; the unit revises; a new round needs both approvals again', async () => {
    const created = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: 'CW-REJ' });
    const base = `/api/v1/service-items/${created.body.id}`;
    expect((await as(t, 'it-officer').post(`${base}/approvals`)).status).to.equal(200);
    const noReason = await as(t, 'xb-officer').post(`${base}/rejections`, {});
    expect(noReason.status).to.equal(400);
    expect(noReason.body.errors[0]).to.include({ path: '/reason' });
    const rejected = await as(t, 'xb-officer').post(`${base}/rejections`, { reason: '线下应急预案不完整' });
    expect(rejected.status).to.equal(200);
    expect(rejected.body).to.deep.include({ state: 'onboarding_rejected', approvals: [] });
    expect(rejected.body.rejection).to.include({
      office: 'president-office',
      reason: '线下应急预案不完整',
      phase: 'onboarding',
    });
    expect((await as(t, 'it-officer').post(`${base}/approvals`)).status).to.equal(409);
    expect((await as(t, 'jw-admin').post(`${base}/reapplication`, { offlineProcedure: 'x' })).status).to.equal(403);
    const revised = await as(t, 'cw-admin').post(`${base}/reapplication`, {
      offlineProcedure: '系统故障时到财务处窗口提交纸质报销单，恢复后补录。',
    });
    expect(revised.status).to.equal(200);
    expect(revised.body.state).to.equal('onboarding_pending');
    expect((await as(t, 'xb-officer').post(`${base}/approvals`)).body.state).to.equal('onboarding_pending');
    expect((await as(t, 'it-officer').post(`${base}/approvals`)).body.state).to.equal('building');
  });

  it('an offboarding rejection keeps the item online', async () => {
    const { itemId, versionId } = await launchableItem(t, 'CW-STAY');
    const base = `/api/v1/service-items/${itemId}`;
    expect((await as(t, 'cw-admin').post(`${base}/versions/${versionId}/launch`)).status).to.equal(200);
    expect((await as(t, 'cw-admin').post(`${base}/offboarding-requests`, { reason: '不再需要' })).status).to.equal(200);
    const res = await as(t, 'it-officer').post(`${base}/rejections`, { reason: '仍有大量在办件' });
    expect(res.body.state).to.equal('online');
    const cat = await as(t, 'student-xx').get('/api/v1/catalogue');
    expect(cat.body.items.map((i: { code: string }) => i.code)).to.include('CW-STAY');
  });
});
