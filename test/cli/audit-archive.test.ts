import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { cliEnvFor, exitOf, hall } from '../fixtures/hall-cli.js';
import { tamper, writeAuditEntries } from '../fixtures/audit-log.js';
import type { AuditVerification } from '../../src/application/audit/verify-audit-log.use-case.js';
import { addMonths, monthOf, monthStart } from '../../src/domain/audit/audit-month.js';
import { canonicalJson } from '../../src/domain/audit/canonical-json.js';
import { toHex } from '../../src/domain/audit/checkpoint.js';
import { TreeBuilder, verifyConsistency } from '../../src/domain/audit/merkle.js';
import { frontierOf } from '../../src/application/audit/audit-tree.js';

const sha = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

/**
 * `hall audit archive`: a month older than the retention leaves the database whole (archive file,
 * audit_archives, partition dropped) only when every condition holds; `hall audit verify` goes on
 * from the archived frontier and still finds tampering; the archive file verifies offline.
 */
describe('hall audit archive (in process)', function () {
  this.timeout(180_000);
  let dir: string;
  let t: TestApp;
  let restoreEnv = () => {};
  const now = monthOf(new Date());
  const oldest = addMonths(now, -9);
  const older = addMonths(now, -8);
  const young = addMonths(now, -5);
  const partitionOf = (month: string) => `audit_log_y${month.replace('-', 'm')}`;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-archive-'));
    t = await createTestApp();
    restoreEnv = cliEnvFor(t);
    // months of old entries, as a log kept for a year would have them (their partitions first)
    for (const m of [oldest, older, young])
      await t.db.knex.raw('SELECT audit_log_create_partition(?::date)', [`${m}-01`]);
    const hourInto = (m: string) => new Date(monthStart(m).getTime() + 3_600_000);
    await writeAuditEntries(t.db.knex, 5, { start: hourInto(oldest), actor: () => 'T0101' });
    await writeAuditEntries(t.db.knex, 6, { start: hourInto(older), actor: () => 'T0102' });
    await writeAuditEntries(t.db.knex, 3, { start: hourInto(young), actor: () => 'T0103' });
    await writeAuditEntries(t.db.knex, 4, { start: hourInto(now), actor: () => 'T0104' });
    await t.container.useCases.sequenceAuditLog.runToEnd();
  });
  after(async () => {
    restoreEnv();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function state() {
    const count = async (table: string) => Number((await t.db.knex(table).count({ n: '*' }).first())!.n);
    return {
      log: await count('audit_log'),
      archives: await count('audit_archives'),
      outbox: await count('outbox'),
      partitions: (
        await t.db.knex.raw(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'audit_log'::regclass`)
      ).rows[0].n as number,
    };
  }

  async function archive(month: string, operator = 'T0002', ...flags: string[]) {
    const out = path.join(dir, `archive-${month}-${Math.random().toString(36).slice(2)}.jsonl`);
    const r = await hall('audit', 'archive', '--month', month, '--out', out, '--operator', operator, ...flags);
    return { ...r, out };
  }

  async function verify(): Promise<{ exit: number | undefined; report: AuditVerification }> {
    const { stdout, error } = await hall('audit', 'verify', '--operator', 'T0003', '--json');
    return { exit: exitOf(error), report: JSON.parse(stdout) };
  }

  const refusedWith = async (month: string, code: string, operator = 'T0002') => {
    const before = await state();
    const r = await archive(month, operator);
    expect(exitOf(r.error), `${month}: ${String(r.error?.message)}`).to.equal(2);
    expect(String(r.error?.message)).to.include(code);
    expect(await state(), `${month} changed something`).to.deep.equal(before);
    expect(await readFile(r.out).catch(() => null), 'no file written').to.equal(null);
    return String(r.error?.message);
  };

  it('refuses, changing nothing: not the IT Office, not a month, too young, unknown, out of order, not checkpointed', async () => {
    await refusedWith(oldest, 'AUTH.FORBIDDEN', 'T0003');
    await refusedWith('2026-13', 'AUDIT.BAD_MONTH');
    expect(await refusedWith(young, 'AUDIT.ARCHIVE_TOO_YOUNG')).to.include('AUDIT_RETENTION_MONTHS');
    await refusedWith(now, 'AUDIT.ARCHIVE_TOO_YOUNG');
    await refusedWith(addMonths(now, -10), 'AUDIT.UNKNOWN_MONTH');
    await refusedWith(oldest, 'AUDIT.ARCHIVE_NOT_CHECKPOINTED');
    const cp = await hall('audit', 'checkpoint', '--operator', 'T0002', '--json');
    expect(cp.error, String(cp.error?.message)).to.equal(undefined);
    await refusedWith(older, 'AUDIT.ARCHIVE_OUT_OF_ORDER');
  });

  it('archives the oldest month: its file (hash recorded), its record, audit entry and event, its partition gone', async () => {
    const before = await state();
    const { stdout, error, out } = await archive(oldest, 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    const r = JSON.parse(stdout);
    expect(r).to.include({ month: oldest, firstSeq: 1, lastSeq: 5, entries: 5, rowsRemoved: 5 });
    const text = await readFile(out);
    const row = await t.db.knex('audit_archives').where({ month: oldest }).first();
    expect(row.file_sha256).to.equal(createHash('sha256').update(text).digest('hex'));
    expect(row).to.include({ first_seq: 1, last_seq: 5, entries: 5, archived_by: 'T0002' });
    expect(row.frontier.map((n: { size: number }) => n.size)).to.deep.equal([4, 1]);
    expect(await t.db.knex('audit_log').where({ actor_id: 'T0101' })).to.have.length(0);
    expect(await t.db.knex.raw('SELECT to_regclass(?) AS r', [partitionOf(oldest)])).to.have.nested.property(
      'rows[0].r',
      null,
    );
    const after = await state();
    expect(after).to.deep.equal({
      log: before.log - 5 + 1,
      archives: 1,
      outbox: before.outbox + 1,
      partitions: before.partitions - 1,
    });
    const entry = await t.db.knex('audit_log').where({ action: 'audit.archived' }).first();
    expect(entry).to.include({ entity_type: 'audit-log', entity_id: oldest, actor_id: 'T0002' });
    const event = await t.db.knex('outbox').where({ topic: 'audit.archived' }).first();
    expect(event.payload).to.include({
      month: oldest,
      firstSeq: 1,
      lastSeq: 5,
      entries: 5,
      fileSha256: row.file_sha256,
    });

    // the file verifies offline; any changed entry does not
    const ok = await hall('audit', 'verify-archive', out, '--json');
    expect(exitOf(ok.error), ok.stdout).to.equal(undefined);
    expect(JSON.parse(ok.stdout)).to.include({ valid: true, month: oldest, firstSeq: 1, lastSeq: 5, entries: 5 });
    const altered = path.join(dir, 'altered.jsonl');
    await writeFile(altered, text.toString('utf8').replace('"T0101"', '"T0199"'));
    const bad = await hall('audit', 'verify-archive', altered, '--json');
    expect(exitOf(bad.error)).to.equal(1);
    expect(JSON.parse(bad.stdout).problems.join('\n')).to.include('do not make the frontier');

    // the record is append-only, like the log
    for (const sql of [
      'UPDATE audit_archives SET entries = 0',
      'DELETE FROM audit_archives',
      'TRUNCATE audit_archives',
    ]) {
      const e = await t.container.knex.raw(sql).then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message, sql).to.include('audit_archives is append-only');
    }

    // once only
    await refusedWith(oldest, 'AUDIT.ALREADY_ARCHIVED');
  });

  it('verify goes on from the archived frontier, reports the archived range, and is intact', async () => {
    const { exit, report } = await verify();
    expect(exit, JSON.stringify(report.problems)).to.equal(undefined);
    expect(report.ok).to.equal(true);
    expect(report.checked.from).to.equal(6);
    expect(report.archived).to.have.length(1);
    expect(report.archived[0]).to.include({ month: oldest, firstSeq: 1, lastSeq: 5 });
  });

  it('the next month archives from the previous frontier; checkpoints, evidence export and the sequencer go on', async () => {
    await writeAuditEntries(t.db.knex, 2, { start: new Date(), actor: () => 'T0105' });
    const cp = await hall('audit', 'checkpoint', '--operator', 'T0002', '--json');
    expect(cp.error, String(cp.error?.message)).to.equal(undefined);
    const { stdout, error, out } = await archive(older, 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    expect(JSON.parse(stdout)).to.include({ month: older, firstSeq: 6, lastSeq: 11, entries: 6 });
    const ok = await hall('audit', 'verify-archive', out, '--json');
    expect(exitOf(ok.error), ok.stdout).to.equal(undefined);
    expect(JSON.parse(ok.stdout).frontier.map((n: { size: number }) => n.size)).to.deep.equal([8, 2, 1]);

    // each part of the file is bound to the signed root: a subtree root, an entry or the signature changed
    // (each line rewritten as canonical JSON, so the deeper checks are what find it) is found
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    type Node = { hash: string };
    type Section = { nodes: Node[]; note: string };
    const rewritten = async (name: string, change: (sections: Section[]) => void) => {
      const sections = lines.map((l) => JSON.parse(l) as Section);
      change(sections);
      const file = path.join(dir, `${name}.jsonl`);
      await writeFile(file, sections.map((x) => `${canonicalJson(x)}\n`).join(''));
      const r = await hall('audit', 'verify-archive', file, '--json');
      expect(exitOf(r.error), name).to.equal(1);
      return (JSON.parse(r.stdout) as { problems: string[] }).problems.join('\n');
    };
    const flip = (b64: string) =>
      Buffer.from(Buffer.from(b64, 'base64').map((x, i) => (i === 0 ? x ^ 1 : x))).toString('base64');
    expect(
      await rewritten('before', (x) => {
        x[3]!.nodes[0]!.hash = flip(x[3]!.nodes[0]!.hash);
      }),
    ).to.include('do not make the frontier');
    expect(
      await rewritten('completion', (x) => {
        const c = x[x.length - 1]!;
        c.nodes[0]!.hash = flip(c.nodes[0]!.hash);
      }),
    ).to.include("checkpoint's root hash");
    expect(
      await rewritten('frontier', (x) => {
        const f = x[x.length - 2]!;
        f.nodes[0]!.hash = flip(f.nodes[0]!.hash);
      }),
    ).to.include('do not make the frontier');
    expect(await rewritten('dropped', (x) => x.splice(6, 1))).to.include('entries were added or removed');
    expect(
      await rewritten('signature', (x) => {
        x[1]!.note = x[1]!.note.replace(
          /\u2014 (\S+) (\S+)\n$/,
          (_m: string, k: string, sig: string) => `\u2014 ${k} ${flip(sig)}\n`,
        );
      }),
    ).to.include("the checkpoint's signature does not verify");
    const pinned = await hall('audit', 'verify-archive', out, '--public-key', 'other+00000000+AQ==');
    expect(exitOf(pinned.error)).to.equal(1);

    const bundle = path.join(dir, 'evidence.jsonl');
    const exported = await hall('audit', 'export', '--person', 'T0104', '--out', bundle, '--operator', 'T0003');
    expect(exported.error, String(exported.error?.message)).to.equal(undefined);
    const checked = await hall('audit', 'verify-bundle', bundle, '--json');
    expect(exitOf(checked.error), checked.stdout).to.equal(undefined);
    expect(JSON.parse(checked.stdout)).to.include({ valid: true, entries: 4 });

    await writeAuditEntries(t.db.knex, 1, { start: new Date(), actor: () => 'T0106' });
    const again = await hall('audit', 'checkpoint', '--operator', 'T0002', '--json');
    expect(again.error, String(again.error?.message)).to.equal(undefined);
    const seqs = (await t.db.knex('audit_log').orderBy('seq').select('seq')).map((r: { seq: number }) => Number(r.seq));
    expect(seqs[0]).to.equal(12);
    expect(seqs).to.deep.equal(seqs.map((_, i) => 12 + i));
    const { exit, report } = await verify();
    expect(exit, JSON.stringify(report.problems)).to.equal(undefined);
    expect(report.archived.map((a) => a.month)).to.deep.equal([oldest, older]);
  });

  it('after an archive, consistency proofs start at the archived boundary (or the empty tree), never inside it', async () => {
    const base = Math.max(...(await verify()).report.archived.map((a) => a.lastSeq));
    const latest = Number((await t.db.knex('audit_checkpoints').orderBy('id', 'desc').first()).tree_size);
    // the root of the archived prefix, from the frontier recorded with the last archive
    const archive = await t.db.knex('audit_archives').orderBy('last_seq', 'desc').first();
    const baseRoot = TreeBuilder.fromFrontier(sha, frontierOf(archive.frontier)!).root();
    const latestCheckpoint = await t.db.knex('audit_checkpoints').orderBy('id', 'desc').first();
    for (const from of [0, base, latest]) {
      const proved = await hall('audit', 'prove-consistency', '--from', String(from), '--operator', 'T0003', '--json');
      expect(proved.error, `from ${from}: ${String(proved.error?.message)}`).to.equal(undefined);
      const doc = JSON.parse(proved.stdout) as { fromRoot: string; toRoot: string; proof: string[]; toSize: number };
      expect(doc.toSize).to.equal(latest);
      expect(Buffer.from(doc.toRoot, 'base64').toString('hex')).to.equal(latestCheckpoint.root_hash);
      if (from === base) expect(Buffer.from(doc.fromRoot, 'base64').toString('hex')).to.equal(toHex(baseRoot));
      const proof = doc.proof.map((p) => new Uint8Array(Buffer.from(p, 'base64')));
      const root = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
      expect(
        verifyConsistency(sha, from, latest, root(doc.fromRoot), root(doc.toRoot), proof),
        `from ${from}`,
      ).to.equal(true);
    }
    const inside = await hall('audit', 'prove-consistency', '--from', String(base - 1), '--operator', 'T0003');
    expect(exitOf(inside.error)).to.equal(2);
    expect(inside.error?.message).to.match(/archived/);
  });

  it('after an archive, verify still finds a kept entry edited, and a kept entry deleted', async () => {
    const seq = Number((await t.db.knex('audit_log').where({ actor_id: 'T0104' }).orderBy('seq').first()).seq);
    await tamper(t.db.knex, [`UPDATE audit_log SET actor_id = 'T9999' WHERE seq = ?`, [seq]]);
    let r = await verify();
    expect(r.exit).to.equal(1);
    expect(r.report.firstBadSeq).to.equal(seq);
    expect(r.report.problems.find((p) => p.seq !== null && p.kind !== 'checkpoint')).to.include({
      seq,
      kind: 'altered',
    });
    await tamper(
      t.db.knex,
      [`UPDATE audit_log SET actor_id = 'T0104' WHERE seq = ?`, [seq]],
      [`DELETE FROM audit_log WHERE seq = ?`, [seq + 1]],
    );
    r = await verify();
    expect(r.exit).to.equal(1);
    expect(r.report.firstBadSeq).to.equal(seq + 1);
    expect(r.report.problems.find((p) => p.seq !== null && p.kind !== 'checkpoint')).to.include({
      seq: seq + 1,
      kind: 'missing',
    });
  });
});

/**
 * An entry of the next month sequenced among a month's entries (it committed before the month's
 * last one): the month's archive holds every seq of its range, that entry too, which stays in its
 * own month's partition; the next month's archive starts after the range.
 */
describe('hall audit archive: a month whose seq range holds an entry of the next month (in process)', function () {
  this.timeout(120_000);
  let dir: string;
  let t: TestApp;
  let restoreEnv = () => {};
  const now = monthOf(new Date());
  const m1 = addMonths(now, -9);
  const m2 = addMonths(now, -8);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-archive-'));
    t = await createTestApp();
    restoreEnv = cliEnvFor(t);
    for (const m of [m1, m2]) await t.db.knex.raw('SELECT audit_log_create_partition(?::date)', [`${m}-01`]);
    const lastHourOf = (m: string) => new Date(monthStart(addMonths(m, 1)).getTime() - 3_600_000);
    await writeAuditEntries(t.db.knex, 2, { start: lastHourOf(m1), actor: () => 'T0201' });
    await writeAuditEntries(t.db.knex, 1, { start: monthStart(m2), actor: () => 'T0202' });
    await writeAuditEntries(t.db.knex, 1, { start: new Date(lastHourOf(m1).getTime() + 1000), actor: () => 'T0201' });
    await writeAuditEntries(t.db.knex, 2, { start: new Date(monthStart(m2).getTime() + 60_000), actor: () => 'T0202' });
    await writeAuditEntries(t.db.knex, 2, { start: new Date(), actor: () => 'T0203' });
    await t.container.useCases.sequenceAuditLog.runToEnd();
    const cp = await hall('audit', 'checkpoint', '--operator', 'T0002', '--json');
    expect(cp.error, String(cp.error?.message)).to.equal(undefined);
  });
  after(async () => {
    restoreEnv();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('archives seq 1..4 (seq 3 of the next month in the file, and kept); then the next month from seq 5', async () => {
    const first = path.join(dir, 'm1.jsonl');
    let r = await hall('audit', 'archive', '--month', m1, '--out', first, '--operator', 'T0002', '--json');
    expect(r.error, String(r.error?.message)).to.equal(undefined);
    expect(JSON.parse(r.stdout)).to.include({ firstSeq: 1, lastSeq: 4, entries: 4, rowsRemoved: 3 });
    const kept = await t.db.knex('audit_log').where({ seq: 3 }).first();
    expect(kept).to.include({ actor_id: 'T0202' });
    const lines = (await readFile(first, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.section === 'entry').map((l) => l.entry.actor_id)).to.deep.equal([
      'T0201',
      'T0201',
      'T0202',
      'T0201',
    ]);
    expect(exitOf((await hall('audit', 'verify-archive', first)).error)).to.equal(undefined);
    let v = await hall('audit', 'verify', '--operator', 'T0003', '--json');
    expect(exitOf(v.error), v.stdout).to.equal(undefined);
    // the next-month entry kept in the database inside the archived range is still checked against its leaf
    await tamper(t.db.knex, [`UPDATE audit_log SET actor_id = 'T9999' WHERE seq = 3`]);
    v = await hall('audit', 'verify', '--operator', 'T0003', '--json');
    expect(exitOf(v.error)).to.equal(1);
    expect(JSON.parse(v.stdout)).to.include({ firstBadSeq: 3 });
    await tamper(t.db.knex, [`UPDATE audit_log SET actor_id = 'T0202' WHERE seq = 3`]);

    const second = path.join(dir, 'm2.jsonl');
    r = await hall('audit', 'archive', '--month', m2, '--out', second, '--operator', 'T0002', '--json');
    expect(r.error, String(r.error?.message)).to.equal(undefined);
    expect(JSON.parse(r.stdout)).to.include({ firstSeq: 5, lastSeq: 6, entries: 2, rowsRemoved: 3 });
    expect(exitOf((await hall('audit', 'verify-archive', second)).error)).to.equal(undefined);
    v = await hall('audit', 'verify', '--operator', 'T0003', '--json');
    expect(exitOf(v.error), v.stdout).to.equal(undefined);
    expect(JSON.parse(v.stdout).checked.from).to.equal(7);
  });
});
