import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { createTestDatabase } from '../fixtures/test-database.js';
import { migrationConfig } from '../../src/adapters/driven/knex/migration-source.js';
import { writeAuditEntries } from '../fixtures/audit-log.js';
import { KnexAuditLedger } from '../../src/adapters/driven/knex/knex-audit-ledger.js';
import { SequenceAuditLogUseCase } from '../../src/application/audit/sequence-audit-log.use-case.js';
import { NodeSha256 } from '../../src/adapters/driven/audit/node-sha256.js';
import { addMonths, monthOf, monthStart } from '../../src/domain/audit/audit-month.js';
import { ArchiveAuditMonthUseCase } from '../../src/application/audit/archive-audit-month.use-case.js';

const partitionOf = (month: string) => `audit_log_y${month.replace('-', 'm')}`;

/**
 * audit_log is partitioned by month (UTC+8): the migration's partitions, the one an entry lands in,
 * the append-only trigger on the partitioned table and on each partition, seq gap-free across
 * partitions, and the partitions the job worker creates ahead.
 */
describe('audit_log partitioned by month (PostgreSQL)', function () {
  this.timeout(60_000);
  let t: TestApp;
  const thisMonth = monthOf(new Date());
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const partitions = async (): Promise<string[]> =>
    (
      (await t.db.knex.raw(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_log'::regclass ORDER BY 1`)) as { rows: Array<{ relname: string }> }
    ).rows.map((r) => r.relname);

  it('after migrate: a partitioned table with this month, the next two and a default partition, each guarded and indexed', async () => {
    const kind = await t.db.knex.raw(`SELECT relkind FROM pg_class WHERE relname = 'audit_log'`);
    expect(kind.rows[0].relkind).to.equal('p');
    const names = await partitions();
    for (const m of [thisMonth, addMonths(thisMonth, 1), addMonths(thisMonth, 2)])
      expect(names).to.include(partitionOf(m));
    expect(names).to.include('audit_log_default');
    // each partition has its TRUNCATE trigger and the parent's indexes, named after it
    for (const p of names) {
      const triggers = await t.db.knex.raw(`SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass ORDER BY 1`, [p]);
      expect(triggers.rows.map((r: { tgname: string }) => r.tgname)).to.deep.equal([
        'audit_log_append_only',
        'audit_log_no_truncate',
      ]);
      const indexes = await t.db.knex.raw(`SELECT indexname FROM pg_indexes WHERE tablename = ? ORDER BY 1`, [p]);
      expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).to.deep.equal(
        ['by_action', 'by_actor', 'by_entity', 'by_time', 'by_type', 'id_unique', 'pkey', 'seq_key', 'unsequenced'].map(
          (s) => `${p}_${s}`,
        ),
      );
    }
    // the bigserial goes on, owned by the new table
    const owned = await t.db.knex.raw(`SELECT pg_get_serial_sequence('audit_log', 'pos') AS s`);
    expect(owned.rows[0].s).to.equal('public.audit_log_seq_seq');
  });

  it("an entry lands in its month's partition (UTC+8), one outside the months created in the default", async () => {
    const start = monthStart(thisMonth);
    await writeAuditEntries(t.db.knex, 1, { start, actor: () => 'T0701' }); // the first instant of the month
    await writeAuditEntries(t.db.knex, 1, { start: new Date(start.getTime() - 1), actor: () => 'T0702' }); // the last of the month before
    await writeAuditEntries(t.db.knex, 1, { start: new Date(Date.UTC(2031, 0, 15)), actor: () => 'T0703' });
    const where = async (actor: string) =>
      (await t.db.knex.raw(`SELECT tableoid::regclass::text AS p FROM audit_log WHERE actor_id = ?`, [actor])).rows[0]
        .p as string;
    expect(await where('T0701')).to.equal(partitionOf(thisMonth));
    expect(await where('T0702')).to.equal(
      (await partitions()).includes(partitionOf(addMonths(thisMonth, -1)))
        ? partitionOf(addMonths(thisMonth, -1))
        : 'audit_log_default',
    );
    expect(await where('T0703')).to.equal('audit_log_default');
  });

  const refused = async (sql: string) => {
    const e = await t.container.knex.raw(sql).then(
      () => null,
      (x: Error & { code?: string }) => x,
    );
    expect(e, sql).to.be.instanceOf(Error);
    expect(e!.message).to.include('audit_log is append-only');
    expect(e!.code).to.equal('42501');
  };

  it('DELETE, UPDATE and TRUNCATE are refused on the partitioned table and on each partition directly', async () => {
    await t.container.useCases.sequenceAuditLog.runToEnd();
    const p = partitionOf(thisMonth);
    for (const table of ['audit_log', p, 'audit_log_default']) {
      await refused(`DELETE FROM ${table}`);
      await refused(`UPDATE ${table} SET actor_id = 'T9999'`);
      await refused(`TRUNCATE ${table}`);
    }
    expect(await t.db.knex('audit_log').where({ actor_id: 'T9999' })).to.have.length(0);
    expect(Number((await t.db.knex('audit_log').count({ n: '*' }).first())!.n)).to.be.greaterThanOrEqual(3);
  });

  it('seq stays gap-free and unique across partitions, with concurrent writers in different months', async () => {
    const ledger = new KnexAuditLedger(t.container.knex);
    const sequencer = new SequenceAuditLogUseCase({ ledger, sha256: new NodeSha256() }, 5);
    const months = [thisMonth, addMonths(thisMonth, 1), addMonths(thisMonth, 2), '2031-01'];
    await Promise.all([
      ...Array.from({ length: 8 }, (_, w) =>
        writeAuditEntries(t.container.knex, 5, {
          actor: () => `T06${w}`,
          start: new Date(monthStart(months[w % months.length]!).getTime() + 3_600_000),
        }),
      ),
      ...Array.from({ length: 3 }, () => sequencer.run()),
    ]);
    await sequencer.runToEnd();
    const rows = (
      await t.db.knex.raw(`SELECT seq, prev_hash, hash, tableoid::regclass::text AS p FROM audit_log ORDER BY seq`)
    ).rows as Array<{ seq: number; prev_hash: string | null; hash: string; p: string }>;
    expect(rows.map((r) => Number(r.seq))).to.deep.equal(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).to.equal(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.p)).size).to.be.greaterThanOrEqual(4);
  });

  it('the job worker’s maintenance creates the coming months’ partitions once, and they are guarded too', async () => {
    const uc = t.container.useCases.auditPartitions;
    const ahead = addMonths(thisMonth, 3);
    const created = await uc.ensureAhead();
    expect(created).to.deep.equal([partitionOf(ahead)]);
    expect(await uc.ensureAhead()).to.deep.equal([]);
    await refused(`TRUNCATE ${partitionOf(ahead)}`);
    // created by the SQL function directly too (as an administrator would): idempotent
    await t.db.knex.raw(`SELECT audit_log_create_partition(?::date)`, [`${addMonths(thisMonth, 4)}-01`]);
    await t.db.knex.raw(`SELECT audit_log_create_partition(?::date)`, [`${addMonths(thisMonth, 4)}-15`]);
    expect(await partitions()).to.include(partitionOf(addMonths(thisMonth, 4)));
  });

  it("the hall's role (not the tables' owner) creates partitions through the function, and cannot detach or drop one", async () => {
    const role = `hall_app_${process.pid}`;
    const month = addMonths(thisMonth, 6);
    await t.db.knex.raw(`CREATE ROLE ${role} NOLOGIN`);
    try {
      await t.db.knex.raw(`GRANT SELECT, INSERT, UPDATE ON audit_log TO ${role}`);
      const created = await t.db.knex.transaction(async (trx) => {
        await trx.raw(`SET LOCAL ROLE ${role}`);
        return (await trx.raw('SELECT audit_log_create_partition(?::date) AS p', [`${month}-01`])).rows[0].p as string;
      });
      expect(created).to.equal(partitionOf(month));
      for (const sql of [`ALTER TABLE audit_log DETACH PARTITION ${created}`, `DROP TABLE ${created}`]) {
        const e = await t.db.knex
          .transaction(async (trx) => {
            await trx.raw(`SET LOCAL ROLE ${role}`);
            await trx.raw(sql);
          })
          .then(
            () => null,
            (x: Error & { code?: string }) => x,
          );
        expect(e?.code, sql).to.equal('42501');
      }
      expect(await partitions()).to.include(created);
    } finally {
      await t.db.knex.raw(`REVOKE ALL ON audit_log FROM ${role}`);
      await t.db.knex.raw(`DROP ROLE ${role}`);
    }
  });

  it('an archive is refused while an entry of the month has no seq, and changes nothing', async () => {
    const old = addMonths(thisMonth, -9);
    await t.db.knex.raw('SELECT audit_log_create_partition(?::date)', [`${old}-01`]);
    await writeAuditEntries(t.db.knex, 3, { start: new Date(monthStart(old).getTime() + 3_600_000) });
    const published = await t.container.useCases.auditCheckpoints.publish();
    expect(published.ok).to.equal(true);
    // one more, committed after the sequencer's last run
    await writeAuditEntries(t.db.knex, 1, { start: new Date(monthStart(old).getTime() + 7_200_000) });
    const p = t.container.ports;
    const archive = new ArchiveAuditMonthUseCase({
      uow: p.uow,
      keys: p.checkpointKeys,
      notes: p.noteVerifier,
      sha256: p.sha256,
      clock: p.clock,
      enforcer: p.enforcer,
      // the sequencer has not got to it yet
      sequencer: { runToEnd: async () => ({ sequenced: 0, size: 0 }) } as never,
      retentionMonths: 6,
    });
    let written = false;
    const r = await archive.execute({
      actor: { personId: 'T0002', requestId: 'test' },
      month: old,
      fileName: 'x.jsonl',
      write: async () => {
        written = true;
      },
    });
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.error.code).to.equal('AUDIT.ARCHIVE_UNSEQUENCED');
    expect(written).to.equal(false);
    expect(await partitions()).to.include(partitionOf(old));
    expect(Number((await t.db.knex('audit_archives').count({ n: '*' }).first())!.n)).to.equal(0);
  });
});

describe('the partitioning migration down and up again keeps every entry (PostgreSQL)', function () {
  this.timeout(60_000);

  it('down: a plain table with the same rows, pos, seq and hashes, its indexes and triggers; up: partitioned again', async () => {
    const db = await createTestDatabase();
    try {
      const ledger = new KnexAuditLedger(db.knex);
      const sequencer = new SequenceAuditLogUseCase({ ledger, sha256: new NodeSha256() });
      const thisMonth = monthOf(new Date());
      await writeAuditEntries(db.knex, 4, { start: monthStart(thisMonth) });
      await writeAuditEntries(db.knex, 2, { start: new Date(Date.UTC(2031, 5, 1)) }); // the default partition
      await sequencer.runToEnd();
      const rows = async () =>
        (await db.knex.raw('SELECT pos, seq, id, hash, prev_hash, after FROM audit_log ORDER BY pos'))
          .rows as unknown[];
      const before = await rows();
      // the migrations after it do not touch audit_log: this one alone goes down and up again
      const [, undone] = (await db.knex.migrate.down({
        ...migrationConfig(),
        name: '20261209000000_audit_log_partitions',
      })) as [number, string[]];
      expect(undone).to.deep.equal(['20261209000000_audit_log_partitions']);
      const kind = await db.knex.raw(`SELECT relkind FROM pg_class WHERE relname = 'audit_log'`);
      expect(kind.rows[0].relkind).to.equal('r');
      expect(await rows()).to.deep.equal(before);
      const indexes = await db.knex.raw(`SELECT indexname FROM pg_indexes WHERE tablename = 'audit_log' ORDER BY 1`);
      expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).to.deep.equal(
        ['by_action', 'by_actor', 'by_entity', 'by_time', 'by_type', 'id_unique', 'pkey', 'seq_key', 'unsequenced'].map(
          (x) => `audit_log_${x}`,
        ),
      );
      const e = await db.knex.raw('DELETE FROM audit_log').then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message).to.include('audit_log is append-only');
      // the bigserial goes on
      await writeAuditEntries(db.knex, 1, { start: new Date() });
      const all = (await rows()) as Array<{ pos: number }>;
      expect(all).to.have.length(7);
      expect(Number(all[6]!.pos)).to.be.greaterThan(Number(all[5]!.pos));

      await db.knex.migrate.latest(migrationConfig());
      expect((await db.knex.raw(`SELECT relkind FROM pg_class WHERE relname = 'audit_log'`)).rows[0].relkind).to.equal(
        'p',
      );
      const after = await rows();
      expect(after.slice(0, 6)).to.deep.equal(before);
      expect(after).to.have.length(7);
    } finally {
      await db.drop();
    }
  });
});
