import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';
import { writeAuditEntries } from '../fixtures/audit-log.js';
import { buildOfflineUseCases } from '../../src/adapters/composition/offline.js';

/** Consistency proofs between signed checkpoints over HTTP: what an outsider who kept an old checkpoint asks for. */
describe('GET /api/v1/audit-checkpoints/consistency (e2e)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let first: { treeSize: number; note: string };
  let latest: { treeSize: number; note: string };
  const publish = async () => {
    const r = await t.container.useCases.auditCheckpoints.publish();
    if (!r.ok) throw r.error;
    return r.value.checkpoint;
  };

  before(async () => {
    t = await createTestApp();
    await writeAuditEntries(t.db.knex, 5);
    first = await publish();
    await writeAuditEntries(t.db.knex, 6);
    latest = await publish();
  });
  after(() => t.close());

  const get = (who: string, query: string) => as(t, who).get(`/api/v1/audit-checkpoints/consistency${query}`);

  it('gives an auditor the proof from an older checkpoint to the latest, which verifies offline with the hall key', async () => {
    const res = await get('auditor', `?from=${first.treeSize}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({
      fromSize: first.treeSize,
      toSize: latest.treeSize,
      fromCheckpoint: first.note,
      toCheckpoint: latest.note,
    });
    const key = (await t.container.ports.checkpointKeys.signer()).verifierKey;
    const checked = buildOfflineUseCases().verifyConsistencyProof.execute({
      proof: JSON.stringify(res.body),
      oldNotes: first.note,
      trustedKeys: [key],
    });
    expect(checked.problems).to.deep.equal([]);
    expect(checked.consistent).to.equal(true);
    // the IT Office may ask too, with an explicit `to`
    const it = await get('it-officer', `?from=3&to=${first.treeSize}`);
    expect(it.status).to.equal(200);
    expect(it.body).to.include({ fromSize: 3, toSize: first.treeSize, fromCheckpoint: null });
  });

  it('a unit admin, a handler and a student may not (403)', async () => {
    for (const who of ['cw-admin', 'cw-handler', 'student-xx']) {
      const res = await get(who, '?from=1');
      expect(res.status, who).to.equal(403);
      expect(res.body.code).to.equal('AUTH.FORBIDDEN');
    }
  });

  it('bad, absent or out-of-order sizes are a 400 problem naming the field, never a 500', async () => {
    for (const [query, field, code] of [
      ['', 'from', 'HTTP.INVALID_REQUEST'],
      ['?from=abc', 'from', 'HTTP.INVALID_REQUEST'],
      ['?from=', 'from', 'HTTP.INVALID_REQUEST'],
      ['?from=1&to=%20', 'to', 'HTTP.INVALID_REQUEST'],
      ['?from=-1', 'from', 'HTTP.INVALID_REQUEST'],
      ['?from=2.5', 'from', 'HTTP.INVALID_REQUEST'],
      ['?from=1&to=x', 'to', 'HTTP.INVALID_REQUEST'],
      ['?from=1&to=99999999999999999999', 'to', 'HTTP.INVALID_REQUEST'],
      ['?from=1&extra=1', 'extra', 'HTTP.INVALID_REQUEST'],
      [`?from=${latest.treeSize}&to=${first.treeSize}`, 'from', 'AUDIT.BAD_RANGE'],
      [`?from=1&to=${latest.treeSize + 1}`, 'to', 'AUDIT.BAD_TREE_SIZE'],
      [`?from=1&to=${first.treeSize + 1}`, 'to', 'AUDIT.NO_CHECKPOINT'],
    ] as const) {
      const res = await get('auditor', query);
      expect(res.status, query).to.equal(400);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.code, query).to.equal(code);
      const errors = res.body.errors as Array<{ path: string; in: string }>;
      expect(
        errors.map((e) => [e.path, e.in]),
        query,
      ).to.deep.include([`/${field}`, 'query']);
    }
  });
});
