import { expect } from 'chai';
import type { ChangeRequestView } from '../../src/application/service-items/change-requests.use-case.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { cliEnvFor, exitOf, hall } from '../fixtures/hall-cli.js';
import { reimbursement } from '../e2e/application-helpers.js';
import { as, onlineItem } from '../e2e/lifecycle-helpers.js';

/**
 * `hall service change list|show|accept|refuse`: the IT Office's side of change requests (变更申请,
 * Art. 11) from the CLI, on the same use case as the API: an accepted one opens the draft, a refused
 * one opens nothing, both audited in the operator's name; nobody else decides.
 */
describe('hall service change (in process)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let restoreEnv = () => {};
  const items: string[] = [];
  const requests: string[] = [];

  before(async () => {
    t = await createTestApp();
    restoreEnv = cliEnvFor(t);
    for (const code of ['CW-CHA', 'CW-CHB']) {
      const { itemId } = await onlineItem(t, code, reimbursement('all'));
      const r = await as(t, 'cw-admin').post(`/api/v1/service-items/${itemId}/change-requests`, {
        reason: `${code} 调整`,
        needs: [{ aspect: 'time-limit', description: '时限改为 3 个工作日' }],
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      items.push(itemId);
      requests.push(r.body.id as string);
    }
  });
  after(async () => {
    restoreEnv();
    await t?.close();
  });

  const drafts = (itemId: string) => t.db.knex('service_versions').where({ item_id: itemId, state: 'draft' });

  it('lists the pending requests, newest first, with what changes and why', async () => {
    const { stdout, error } = await hall('service', 'change', 'list', '--operator', 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    const listed = (JSON.parse(stdout) as { items: ChangeRequestView[] }).items;
    expect(listed.map((r) => [r.id, r.state, r.itemCode])).to.deep.equal([
      [requests[1], 'pending', 'CW-CHB'],
      [requests[0], 'pending', 'CW-CHA'],
    ]);
    expect(listed[0]!.needs).to.deep.equal([{ aspect: 'time-limit', description: '时限改为 3 个工作日' }]);
    const text = await hall('service', 'change', 'show', requests[0]!, '--operator', 'T0002');
    expect(text.stdout).to.include('CW-CHA 调整').and.include('time-limit: 时限改为 3 个工作日');
  });

  it('only the IT Office decides: a unit admin is refused with exit 2 and nothing changes', async () => {
    const { error } = await hall('service', 'change', 'accept', requests[0]!, '--operator', 'T0301');
    expect(exitOf(error)).to.equal(2);
    expect(await drafts(items[0]!)).to.have.length(0);
    expect((await t.db.knex('service_change_requests').where({ id: requests[0] }).first()).state).to.equal('pending');
  });

  it('accept opens the draft; refuse (with its reason) opens nothing; both audited in the operator’s name', async () => {
    const accepted = await hall(
      'service',
      'change',
      'accept',
      requests[0]!,
      '--comment',
      '同意',
      '--operator',
      'T0002',
      '--json',
    );
    expect(accepted.error, String(accepted.error?.message)).to.equal(undefined);
    const a = JSON.parse(accepted.stdout) as ChangeRequestView;
    expect(a.state).to.equal('accepted');
    expect((await drafts(items[0]!)).map((v) => v.id)).to.deep.equal([a.versionId]);

    const missing = await hall('service', 'change', 'refuse', requests[1]!, '--operator', 'T0002');
    expect(missing.error?.message).to.match(/reason/);
    const refused = await hall(
      'service',
      'change',
      'refuse',
      requests[1]!,
      '--reason',
      '与平台重复',
      '--operator',
      'T0002',
      '--json',
    );
    expect(refused.error, String(refused.error?.message)).to.equal(undefined);
    expect(JSON.parse(refused.stdout)).to.deep.include({ state: 'refused', versionId: null });
    expect(await drafts(items[1]!)).to.have.length(0);
    expect((await t.db.knex('service_items').whereIn('id', items).orderBy('code')).map((i) => i.state)).to.deep.equal([
      'online',
      'online',
    ]);
    const audit = await t.db
      .knex('audit_log')
      .whereIn('action', ['service-item.change-accepted', 'service-item.change-refused'])
      .orderBy('pos');
    expect(audit.map((e) => [e.action, e.actor_id, e.entity_id])).to.deep.equal([
      ['service-item.change-accepted', 'T0002', items[0]],
      ['service-item.change-refused', 'T0002', items[1]],
    ]);
    const again = await hall('service', 'change', 'refuse', requests[0]!, '--reason', 'x', '--operator', 'T0002');
    expect(exitOf(again.error)).to.equal(2);
  });
});
