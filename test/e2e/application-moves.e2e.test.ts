import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem, openChange } from './lifecycle-helpers.js';
import { act, apply, progress, reimbursement, type AppBody } from './application-helpers.js';

type App = AppBody & { versionId: string };
const paths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((e) => e.path);

/** 跳转 and moving running applications to the new version, by the owning unit's admins and the IT Office. */
describe('jump and moving applications to a new version (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('跳转: the owning unit admin moves an application to a later step; 400 for a key that is no step, 403 for others, 409 once ended', async () => {
    const { itemId } = await onlineItem(t, 'CW-JMP', reimbursement('all'));
    const a = (await apply(t, itemId)) as App;
    const path = `/api/v1/applications/${a.id}/jump`;
    expect((await as(t, 'cw-handler').post(path, { target: 'pay', reason: '线下已会签' })).status).to.equal(403);
    expect((await as(t, 'hq-admin').post(path, { target: 'pay', reason: '线下已会签' })).status).to.equal(403);
    const bad = await as(t, 'cw-admin').post(path, { target: 'nowhere', reason: '线下已会签' });
    expect(bad.status).to.equal(400);
    expect(bad.body.code).to.equal('APPLICATION.JUMP_TARGET_INVALID');
    expect(paths(bad.body)).to.deep.equal(['/target']);
    const noReason = await as(t, 'cw-admin').post(path, { target: 'pay' });
    expect(noReason.status).to.equal(400);
    expect(paths(noReason.body)).to.deep.equal(['/reason']);

    const jumped = await as(t, 'cw-admin').post(path, { target: 'pay', reason: '线下已会签' });
    expect(jumped.status, JSON.stringify(jumped.body)).to.equal(200);
    expect(jumped.body.activeNodes).to.deep.equal(['pay']);
    const history = (await progress(t, a.id)).history;
    expect(history.find((h) => h.action === 'jumped')).to.include({
      actor: 'T0301',
      node: 'pay',
      comment: '线下已会签',
    });
    const done = await act(t, 'cw-handler', (jumped.body as AppBody).currentTasks[0]!.id, 'approve');
    expect(done.body.state).to.equal('completed');
    expect((await as(t, 'it-officer').post(path, { target: 'check', reason: '重办' })).status).to.equal(409);
  });

  it('moves chosen applications from v1 to v2 by a mapping, all or nothing: a bad mapping is 400 listing every problem and moves none', async () => {
    const { itemId, versionId: v1 } = await onlineItem(t, 'CW-MOV', reimbursement('all'));
    const waitingAtCheck = (await apply(t, itemId)) as App;
    let atSign = (await apply(t, itemId)) as App;
    await act(t, 'cw-handler', atSign.currentTasks[0]!.id, 'claim');
    atSign = (await act(t, 'cw-handler', atSign.currentTasks[0]!.id, 'approve')).body as App;
    expect(atSign.activeNodes).to.deep.equal(['sign']);
    const ended = (await apply(t, itemId)) as App;
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${ended.id}/withdrawal`)).status).to.equal(200);

    // v2: the countersign becomes a review by the academic office's handler pool ('review2')
    const base = `/api/v1/service-items/${itemId}`;
    const v2 = await openChange(t, itemId, '会签改为教务审核');
    const def = reimbursement('all');
    def.nodes = def.nodes.map((n) =>
      n.key === 'sign'
        ? {
            key: 'review2',
            kind: 'review',
            name: '教务审核',
            handlers: { type: 'people', people: ['T0102'] },
            timeLimit: { workingDays: 3 },
          }
        : n,
    ) as typeof def.nodes;
    expect((await as(t, 'cw-admin').put(`${base}/draft/definition`, def)).status).to.equal(200);
    await as(t, 'cw-admin').post(`${base}/versions/${v2}/confirmations`);
    await as(t, 'jw-admin').post(`${base}/versions/${v2}/confirmations`);
    expect((await as(t, 'cw-admin').post(`${base}/versions/${v2}/launch`)).status).to.equal(200);

    const moves = `${base}/application-moves`;
    const body = (o: Record<string, unknown>) => ({
      fromVersionId: v1,
      toVersionId: v2,
      applicationIds: [waitingAtCheck.id, atSign.id],
      reason: '按新版流程办理',
      ...o,
    });
    expect(
      (await as(t, 'jw-admin').post(moves, body({ mapping: { sign: 'review2' } }))).status,
      'an involved unit',
    ).to.equal(403);
    expect((await as(t, 'cw-handler').post(moves, body({ mapping: { sign: 'review2' } }))).status).to.equal(403);

    const bad = await as(t, 'cw-admin').post(moves, body({ mapping: { sign: 'nowhere', ghost: 'check' } }));
    expect(bad.status).to.equal(400);
    expect(bad.body.code).to.equal('APPLICATION.MAPPING_INVALID');
    expect(paths(bad.body).sort()).to.deep.equal(['/mapping', '/mapping/ghost', '/mapping/sign']);
    const untouched = (await progress(t, waitingAtCheck.id)) as unknown as App;
    expect(untouched.versionId, 'all or nothing: the fitting one did not move either').to.equal(v1);

    const wrong = await as(t, 'cw-admin').post(
      moves,
      body({ applicationIds: [atSign.id, atSign.id], mapping: { sign: 'review2' } }),
    );
    expect(wrong.status).to.equal(400);
    expect(paths(wrong.body)).to.deep.equal(['/applicationIds/1']);
    const stale = await as(t, 'cw-admin').post(moves, body({ applicationIds: [ended.id], mapping: {} }));
    expect(stale.status).to.equal(409);
    expect(stale.body.code).to.equal('APPLICATION.NOT_MOVABLE');
    const notOnline = await as(t, 'cw-admin').post(moves, body({ toVersionId: v1, fromVersionId: v1, mapping: {} }));
    expect(notOnline.status).to.equal(409);
    expect(notOnline.body.code).to.equal('APPLICATION_MOVE.TARGET_NOT_ONLINE');

    const moved = await as(t, 'it-officer').post(moves, body({ mapping: { sign: 'review2' } }));
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    const [first, second] = moved.body.moved as App[];
    expect([first!.versionId, second!.versionId]).to.deep.equal([v2, v2]);
    expect(first!.activeNodes).to.deep.equal(['check']);
    expect(second!.activeNodes).to.deep.equal(['review2']);
    // the moved task runs on v2: its live countersign tasks now belong to review2 and settle by v2's rules
    const history = (await progress(t, atSign.id)).history;
    expect(history.find((h) => h.action === 'moved-version')).to.deep.include({
      actor: 'T0002',
      detail: { from: v1, to: v2, moved: { sign: 'review2' } },
    });
    const audit = await t.db.knex('audit_log').where({ entity_id: atSign.id, action: 'application.moved-version' });
    expect(audit).to.have.length(1);
    const events = await t.db.knex('outbox').where({ topic: 'application.moved-version' });
    expect(events.length).to.equal(2);
    let b = second!;
    for (const task of b.currentTasks) {
      const who = task.assignee === 'T0101' ? 'jw-admin' : 'jw-handler';
      const r = await act(t, who, task.id, 'approve');
      if (r.status === 200) b = r.body as App;
    }
    expect(b.activeNodes, 'review2 is any-mode on v2: one approval passes it').to.deep.equal(['pay']);
  });
});
