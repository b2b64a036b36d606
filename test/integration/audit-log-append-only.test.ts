import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { writeAuditEntries } from '../fixtures/audit-log.js';
import { KnexAuditLedger } from '../../src/adapters/driven/knex/knex-audit-ledger.js';
import { SequenceAuditLogUseCase } from '../../src/application/audit/sequence-audit-log.use-case.js';
import { NodeSha256 } from '../../src/adapters/driven/audit/node-sha256.js';
import { leafHashHex } from '../../src/application/audit/audit-tree.js';

/**
 * The audit log is append-only at the database: through the hall's own connection pool (the role
 * it runs with) an entry can be added, and sequenced once, but not changed or removed.
 */
describe('audit_log is append-only, and the sequencer numbers it without gaps (PostgreSQL)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await writeAuditEntries(t.container.knex, 5);
    await t.container.useCases.sequenceAuditLog.runToEnd();
  });
  after(() => t.close());

  const refused = async (sql: string) => {
    const e = await t.container.knex.raw(sql).then(
      () => null,
      (x: Error & { code?: string }) => x,
    );
    expect(e, sql).to.be.instanceOf(Error);
    expect(e!.message).to.include('audit_log is append-only');
    expect(e!.code).to.equal('42501');
  };

  it("UPDATE audit_log SET actor_id = … is refused through the hall's knex", async () => {
    await refused(`UPDATE audit_log SET actor_id = 'T9999' WHERE seq = 2`);
    await refused(`UPDATE audit_log SET actor_id = 'T9999'`);
    expect(await t.container.knex('audit_log').where({ actor_id: 'T9999' })).to.have.length(0);
  });

  it("DELETE FROM audit_log and TRUNCATE audit_log are refused through the hall's knex", async () => {
    const before = await t.container.knex('audit_log').count({ n: '*' }).first();
    await refused('DELETE FROM audit_log');
    await refused('DELETE FROM audit_log WHERE seq = 1');
    await refused('TRUNCATE audit_log');
    expect(await t.container.knex('audit_log').count({ n: '*' }).first()).to.deep.equal(before);
  });

  it('a sequenced entry cannot be sequenced again, nor an entry written with a seq or hash of its own', async () => {
    await refused(`UPDATE audit_log SET seq = 99, hash = 'x' WHERE seq = 3`);
    const e = await t.container
      .knex('audit_log')
      .insert({
        id: globalThis.crypto.randomUUID(),
        occurred_at: new Date(),
        actor_id: 'T0002',
        action: 'role.granted',
        entity_type: 'person',
        entity_id: 'T0900',
        seq: 100,
        hash: 'ab',
      })
      .then(
        () => null,
        (x: Error) => x,
      );
    expect(e?.message).to.include('the sequencer assigns them');
  });

  it('checkpoints are append-only too', async () => {
    await t.container.useCases.auditCheckpoints.publish();
    for (const sql of ['UPDATE audit_checkpoints SET tree_size = 1', 'DELETE FROM audit_checkpoints']) {
      const e = await t.container.knex.raw(sql).then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message, sql).to.include('audit_checkpoints is append-only');
    }
  });

  it('entries committed by concurrent writers get seq 1..n without gaps, each with its leaf hash and the one before it', async () => {
    // ten writers at once, each committing entries in its own transactions, while sequencers run
    const ledger = new KnexAuditLedger(t.container.knex);
    const sequencer = new SequenceAuditLogUseCase({ ledger, sha256: new NodeSha256() }, 7);
    await Promise.all([
      ...Array.from({ length: 10 }, (_, w) => writeAuditEntries(t.container.knex, 6, { actor: () => `T08${w}` })),
      ...Array.from({ length: 4 }, () => sequencer.run()),
    ]);
    await sequencer.runToEnd();
    const rows = await t.container.knex('audit_log').orderBy('seq').select('*');
    expect(rows.map((r: { seq: number }) => r.seq)).to.deep.equal(rows.map((_: unknown, i: number) => i + 1));
    const sha = new NodeSha256();
    for (const [i, r] of rows.entries()) {
      expect(r.hash).to.equal(
        leafHashHex(sha, {
          seq: r.seq,
          id: r.id,
          at: r.occurred_at,
          actorId: r.actor_id,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          unit: r.unit_key,
          before: r.before,
          after: r.after,
          requestId: r.request_id,
        }),
      );
      expect(r.prev_hash).to.equal(i === 0 ? null : rows[i - 1].hash);
    }
  });
});
