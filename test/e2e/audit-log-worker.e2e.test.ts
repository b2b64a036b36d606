import { expect } from 'chai';
import pino from 'pino';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { buildJobWorker } from '../../src/adapters/composition/jobs.js';
import type { JobWorker } from '../../src/adapters/driving/jobs/job-worker.js';
import { until } from '../fixtures/hall-process.js';
import { as, onlineItem, application, definition } from './lifecycle-helpers.js';
import { addMonths, monthOf } from '../../src/domain/audit/audit-month.js';
import { PARTITIONS_AHEAD } from '../../src/application/audit/audit-partitions.use-case.js';

/**
 * The job worker sequences the audit entries the API writes (seq 1..n, in commit order, with their
 * leaf hashes), publishes the scheduled checkpoints, one per interval, to the table and the file, and
 * creates the coming months' partitions.
 */
describe('the audit log in the job worker: sequencer and scheduled checkpoints (e2e)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let worker: JobWorker;
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-audit-worker-'));
    file = path.join(dir, 'checkpoints.txt');
    t = await createTestApp(undefined, (c) => ({ ...c, audit: { ...c.audit, checkpointFile: file } }));
    worker = buildJobWorker(
      t.container,
      {
        connectionString: t.db.url,
        maintenanceSeconds: 5,
        pollingSeconds: 0.5,
        audit: { sequenceEveryMs: 100, checkpointEveryMs: 1000 },
      },
      pino({ level: 'silent' }),
    );
    await worker.start();
  });
  after(async () => {
    await worker.stop();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('entries written through the API get seq 1..n and their hashes; a checkpoint of them is signed and written out', async () => {
    await onlineItem(t, application.code, definition());
    await t.login('auditor'); // its login is audited too: before the log is looked at
    const written = Number((await t.db.knex('audit_log').count({ n: '*' }).first())!.n);
    expect(written).to.be.greaterThan(3);
    await until('every entry sequenced', async () => {
      const r = await t.db.knex('audit_log').whereNull('seq').count({ n: '*' }).first();
      return Number(r!.n) === 0;
    });
    const seqs = (await t.db.knex('audit_log').orderBy('seq').select('seq', 'hash')) as Array<{
      seq: number;
      hash: string;
    }>;
    expect(seqs.map((r) => r.seq)).to.deep.equal(seqs.map((_, i) => i + 1));
    expect(seqs.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).to.equal(true);
    const listed = await as(t, 'auditor').get('/api/v1/audit-entries?limit=1');
    expect(listed.body.items[0].seq).to.be.a('number');

    await until('a checkpoint of every entry', async () => {
      const last = await t.db.knex('audit_checkpoints').max({ m: 'tree_size' }).first();
      const size = Number((await t.db.knex('audit_log').max({ m: 'seq' }).first())!.m);
      return Number(last?.m ?? 0) === size;
    });
    const notes = await t.db.knex('audit_checkpoints').orderBy('id').select('note');
    // the file is appended after the checkpoint's transaction commits: wait for it as well
    const fileText = async () => readFile(file, 'utf8').catch(() => '');
    await until('every checkpoint written out', async () => {
      const text = await fileText();
      return notes.every(({ note }) => text.includes(note));
    });
    const text = await fileText();
    for (const { note } of notes) expect(text).to.include(note);
    const verified = await t.container.useCases.verifyAuditLog.execute({
      actor: { personId: 'T0003', requestId: 'r' },
    });
    expect(verified.ok && verified.value.ok).to.equal(true);
  });

  it('at start, the worker made sure of the partitions of this month and the next three', async () => {
    const ahead = addMonths(monthOf(new Date()), PARTITIONS_AHEAD);
    await until(`the partition of ${ahead}`, async () => {
      const r = await t.db.knex.raw('SELECT to_regclass(?) IS NOT NULL AS e', [
        `audit_log_y${ahead.replace('-', 'm')}`,
      ]);
      return r.rows[0].e as boolean;
    });
  });
});
