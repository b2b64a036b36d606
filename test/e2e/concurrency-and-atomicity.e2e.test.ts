import { expect } from 'chai';
import type { UnitOfWork } from '../../src/application/ports/unit-of-work.port.js';
import { KnexUnitOfWork } from '../../src/adapters/driven/knex/knex-unit-of-work.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { application, as, launchableItem } from './lifecycle-helpers.js';

describe('concurrent launches (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('of the same version: exactly one succeeds, the other gets a 409 problem', async () => {
    for (let round = 0; round < 5; round++) {
      const { itemId, versionId } = await launchableItem(t, `CW-RACE${round}`);
      const path = `/api/v1/service-items/${itemId}/versions/${versionId}/launch`;
      const results = await Promise.all([
        as(t, 'cw-admin').post(path),
        as(t, 'it-officer').post(path),
        as(t, 'cw-admin').post(path),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(results.map((r) => r.body))).to.deep.equal([200, 409, 409]);
      const launches = await t.db
        .knex('audit_log')
        .where({ entity_id: itemId, action: 'service-item.launched' })
        .count({ n: '*' });
      expect(Number(launches[0]!.n)).to.equal(1);
    }
  });

  it('of concurrent approvals by both offices: the item ends in building with both recorded once', async () => {
    const created = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: 'CW-BOTH' });
    const path = `/api/v1/service-items/${created.body.id}/approvals`;
    const results = await Promise.all([as(t, 'xb-officer').post(path), as(t, 'it-officer').post(path)]);
    const ok = results.filter((r) => r.status === 200).length;
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok + conflicts.length).to.equal(2);
    conflicts.forEach((r) => expect(r.body.code).to.equal('SERVICE_ITEM.CONCURRENT_CHANGE'));
    if (conflicts.length)
      expect((await as(t, conflicts[0] === results[0] ? 'xb-officer' : 'it-officer').post(path)).status).to.equal(200);
    const item = await as(t, 'auditor').get(`/api/v1/service-items/${created.body.id}`);
    expect(item.body.state).to.equal('building');
  });
});

describe('one transaction per state change (e2e)', () => {
  let t: TestApp;
  let failAfterWork = false;
  before(async () => {
    // the production unit of work, with a failure injected after the use case did all its writes
    t = await createTestApp(({ knex }) => {
      const inner = new KnexUnitOfWork(knex);
      const failing: UnitOfWork = {
        run: (work) =>
          inner.run(async (scope) => {
            const out = await work(scope);
            if (failAfterWork) throw new Error('forced failure after the change');
            return out;
          }),
      };
      return { uow: failing };
    });
  });
  after(async () => {
    await t.close();
  });

  it('a failure after the change leaves neither the change nor its audit entry nor its event', async () => {
    const created = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: 'CW-ATOM' });
    expect(created.status).to.equal(201);
    const counts = async () =>
      Promise.all(['audit_log', 'outbox'].map(async (tb) => Number((await t.db.knex(tb).count({ n: '*' }))[0]!.n)));
    await t.login('xb-officer'); // signing in is audited through the unit of work too: do it before the failure is armed
    const before = await counts();
    failAfterWork = true;
    const res = await as(t, 'xb-officer').post(`/api/v1/service-items/${created.body.id}/approvals`);
    failAfterWork = false;
    expect(res.status).to.equal(500);
    expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    expect(res.body.code).to.equal('INTERNAL');
    expect(JSON.stringify(res.body)).to.not.match(/forced failure|at .*\.ts/);
    expect(await counts()).to.deep.equal(before);
    const row = await t.db.knex('service_items').where({ id: created.body.id }).first();
    expect(row.approvals).to.deep.equal([]);
    expect(row.lock_version).to.equal(1);
  });

  it('a conflict raised by a repository mid-transaction changes nothing', async () => {
    const counts = async () => Number((await t.db.knex('audit_log').count({ n: '*' }))[0]!.n);
    const before = await counts();
    const res = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: 'CW-ATOM' });
    expect(res.status).to.equal(409);
    expect(await counts()).to.equal(before);
  });
});
