import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { setEnv } from '../fixtures/process-env.js';
import { forgedLeafHash, tamper, writeAuditEntries } from '../fixtures/audit-log.js';
import type { AuditVerification } from '../../src/application/audit/verify-audit-log.use-case.js';
import { checkpointBody, signedNote } from '../../src/domain/audit/checkpoint.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hall = (...args: string[]) => runCommand(args, { root });

/**
 * `hall audit`: checkpoints, verification of the tree against them (each kind of tampering, done
 * as a database administrator would, names the first bad seq), evidence export and its offline check.
 */
describe('hall audit (in process)', function () {
  this.timeout(120_000);
  let dir: string;
  let checkpointFile: string;
  let t: TestApp;
  let restoreEnv = () => {};
  let apps = 0;

  /** A fresh hall whose log has its demo entries and 12 more, all under a checkpoint. */
  async function hallWithCheckpoint(): Promise<TestApp> {
    restoreEnv();
    if (t) await t.close();
    t = await createTestApp();
    checkpointFile = path.join(dir, `checkpoints-${++apps}.txt`);
    restoreEnv = setEnv({
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      AUDIT_SIGNING_KEY_FILE: t.container.config.audit.signingKeyFile,
      AUDIT_LOG_ORIGIN: t.container.config.audit.origin,
      AUDIT_CHECKPOINT_FILE: checkpointFile,
    });
    await writeAuditEntries(t.db.knex, 12);
    const { error } = await hall('audit', 'checkpoint', '--operator', 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    return t;
  }

  async function verify(...flags: string[]): Promise<{ exit: number | undefined; report: AuditVerification }> {
    const { stdout, error } = await hall('audit', 'verify', '--operator', 'T0003', '--json', ...flags);
    return { exit: (error as { oclif?: { exit?: number } } | undefined)?.oclif?.exit, report: JSON.parse(stdout) };
  }

  const size = async () => Number((await t.db.knex('audit_log').max({ m: 'seq' }).first())!.m as number);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-audit-'));
  });
  after(async () => {
    restoreEnv();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('checkpoint: a signed tlog-checkpoint note, kept in the database and appended to AUDIT_CHECKPOINT_FILE', async () => {
    await hallWithCheckpoint();
    const n = await size();
    const row = await t.db.knex('audit_checkpoints').orderBy('id', 'desc').first();
    expect(Number(row.tree_size)).to.equal(n);
    const lines = (row.note as string).split('\n');
    expect(lines[0]).to.equal('hall.campus.test/audit-log');
    expect(lines[1]).to.equal(String(n));
    expect(Buffer.from(lines[2]!, 'base64')).to.have.length(32);
    expect(lines[3]).to.equal('');
    expect(lines[4]).to.match(/^\u2014 hall\.campus\.test\/audit-log [A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(lines[4]!.split(' ')[2]!, 'base64')).to.have.length(4 + 64);
    expect(await readFile(checkpointFile, 'utf8')).to.include(row.note);
    // nothing new: the same checkpoint again
    const again = await hall('audit', 'checkpoint', '--operator', 'T0002', '--json');
    expect(JSON.parse(again.stdout)).to.include({ published: false, treeSize: n });
    // only who reads the audit log asks for one
    const refused = await hall('audit', 'checkpoint', '--operator', 'T0301');
    expect((refused.error as { oclif?: { exit?: number } }).oclif?.exit).to.equal(2);
  });

  it('verify: an intact log passes, against the database and an outside checkpoint file', async () => {
    await hallWithCheckpoint();
    await writeAuditEntries(t.db.knex, 3); // more after the checkpoint: still intact
    const { exit, report } = await verify('--checkpoints', checkpointFile);
    expect(exit, JSON.stringify(report.problems)).to.equal(undefined);
    expect(report).to.include({ ok: true, firstBadSeq: null });
    expect(report.checkpoints.checked).to.be.greaterThan(1);
  });

  it('verify: an entry edited in place (UPDATE … SET actor_id) is named by its seq', async () => {
    await hallWithCheckpoint();
    await tamper(t.db.knex, [`UPDATE audit_log SET actor_id = 'T9999' WHERE seq = 5`]);
    const { exit, report } = await verify();
    expect(exit).to.equal(1);
    expect(report.firstBadSeq).to.equal(5);
    expect(report.problems.find((p) => p.kind !== 'checkpoint')).to.include({ seq: 5, kind: 'altered' });
  });

  it('verify: a deleted entry is named by its seq', async () => {
    await hallWithCheckpoint();
    await tamper(t.db.knex, ['DELETE FROM audit_log WHERE seq = 4']);
    const { exit, report } = await verify();
    expect(exit).to.equal(1);
    expect(report.firstBadSeq).to.equal(4);
    expect(report.problems.find((p) => p.kind !== 'checkpoint')).to.include({ seq: 4, kind: 'missing' });
  });

  it('verify: an entry inserted into the history (the later ones renumbered, its own hash forged) is named by its seq', async () => {
    await hallWithCheckpoint();
    const n = await size();
    const prev = await t.db.knex('audit_log').where({ seq: 5 }).first();
    const forged = {
      seq: 6,
      id: globalThis.crypto.randomUUID(),
      at: new Date(Date.UTC(2026, 10, 20, 8, 4, 30)),
      actorId: 'T0002',
      action: 'role.granted',
      entityType: 'person',
      entityId: 'T0999',
      unit: 'finance',
      before: null,
      after: { role: 'unit-service-admin' },
      requestId: 'req-forged',
    };
    await tamper(
      t.db.knex,
      ['UPDATE audit_log SET seq = -seq WHERE seq >= 6'],
      ['UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0'],
      [
        `INSERT INTO audit_log (id, occurred_at, actor_id, action, entity_type, entity_id, unit_key, before, after, request_id, seq, hash, prev_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?::jsonb, ?, 6, ?, ?)`,
        [
          forged.id,
          forged.at,
          forged.actorId,
          forged.action,
          forged.entityType,
          forged.entityId,
          forged.unit,
          JSON.stringify(forged.after),
          forged.requestId,
          forgedLeafHash(forged),
          prev.hash,
        ],
      ],
    );
    expect(await size()).to.equal(n + 1);
    const { exit, report } = await verify();
    expect(exit).to.equal(1);
    expect(report.firstBadSeq).to.equal(6);
  });

  it('verify: two entries swapped are named by the first of them', async () => {
    await hallWithCheckpoint();
    await tamper(
      t.db.knex,
      ['UPDATE audit_log SET seq = -seq WHERE seq IN (3, 8)'],
      ['UPDATE audit_log SET seq = CASE seq WHEN -3 THEN 8 ELSE 3 END WHERE seq IN (-3, -8)'],
    );
    const { exit, report } = await verify();
    expect(exit).to.equal(1);
    expect(report.firstBadSeq).to.equal(3);
    expect(report.problems.map((p) => p.seq)).to.include.members([3, 8]);
  });

  it('verify: a tail cut off below the last checkpoint is named by its first missing seq', async () => {
    await hallWithCheckpoint();
    const n = await size();
    await tamper(t.db.knex, ['DELETE FROM audit_log WHERE seq > ?', [n - 3]]);
    const { exit, report } = await verify();
    expect(exit).to.equal(1);
    expect(report.firstBadSeq).to.equal(n - 2);
    expect(report.problems[0]).to.include({ seq: n - 2, kind: 'truncated' });
    // and no checkpoint is signed over the altered log
    const refused = await hall('audit', 'checkpoint', '--operator', 'T0002');
    expect((refused.error as { oclif?: { exit?: number } }).oclif?.exit).to.equal(2);
    expect(String(refused.error?.message)).to.include('AUDIT.LOG_ALTERED');
  });

  it('verify: a validly signed outside checkpoint of another history is not consistent with the next one, naming both sizes', async () => {
    await hallWithCheckpoint();
    const n = await size();
    await writeAuditEntries(t.db.knex, 4);
    expect((await hall('audit', 'checkpoint', '--operator', 'T0002')).error).to.equal(undefined);
    // the key signed another tree of n entries (a fork), kept in the outside file
    const signer = await t.container.ports.checkpointKeys.signer();
    const fork = { origin: signer.keyName, treeSize: n, rootHash: new Uint8Array(32).fill(7) };
    const forked = path.join(dir, 'forked-checkpoints.txt');
    await writeFile(forked, `${signedNote(fork, [signer.sign(checkpointBody(fork))])}\n`);
    const { exit, report } = await verify('--checkpoints', forked);
    expect(exit).to.equal(1);
    const inconsistent = report.problems.filter((p) => p.kind === 'inconsistent');
    expect(inconsistent.map((p) => p.sizes)).to.deep.equal([
      { from: n, to: n },
      { from: n, to: n + 4 },
    ]);
    expect(inconsistent[1]!.message).to.include(`the checkpoints of ${n} and ${n + 4} entries`);
  });

  it('rotate-key: a new key signs the next checkpoints, the retired one still verifies the old ones', async () => {
    await hallWithCheckpoint();
    const keyFile = path.join(dir, 'rotated', 'audit-key.pem');
    const restore = setEnv({ AUDIT_SIGNING_KEY_FILE: keyFile });
    try {
      await writeAuditEntries(t.db.knex, 2);
      const first = JSON.parse((await hall('audit', 'checkpoint', '--operator', 'T0002', '--json')).stdout);
      const refused = await hall('audit', 'rotate-key', '--operator', 'T0301');
      expect(String(refused.error?.message)).to.include('AUTH.FORBIDDEN');
      const { stdout, error } = await hall('audit', 'rotate-key', '--operator', 'T0002', '--json');
      expect(error, String(error?.message)).to.equal(undefined);
      const rotated = JSON.parse(stdout) as { retiredKeyId: string; keyId: string };
      expect(rotated.retiredKeyId).to.equal(first.keyId);
      expect(rotated.keyId).to.not.equal(first.keyId);
      expect(await readdir(path.dirname(keyFile))).to.include(`audit-key.pem.retired-${first.keyId}.vkey`);
      await writeAuditEntries(t.db.knex, 2);
      const second = JSON.parse((await hall('audit', 'checkpoint', '--operator', 'T0002', '--json')).stdout);
      expect(second.keyId).to.equal(rotated.keyId);
      // the first checkpoint (the test app's key) is signed by a key this file never held: reported
      const { report } = await verify();
      expect(report.problems.filter((p) => p.kind === 'signature')).to.have.length(1);
      expect(report.problems.filter((p) => p.kind !== 'signature')).to.deep.equal([]);
    } finally {
      restore();
    }
  });

  describe('export and verify-bundle', () => {
    let bundle: string;
    before(async () => {
      await hallWithCheckpoint();
      await writeAuditEntries(t.db.knex, 30, { actor: (i) => (i % 3 ? 'T0002' : 'T0301') });
      bundle = path.join(dir, 'evidence.jsonl');
      const { stdout, error } = await hall(
        'audit',
        'export',
        '--person',
        'T0301',
        '--out',
        bundle,
        '--operator',
        'T0003',
        '--json',
      );
      expect(error, String(error?.message)).to.equal(undefined);
      expect(JSON.parse(stdout).entries).to.equal(10);
    });

    /** verify-bundle with no database: DATABASE_URL unset, an empty data folder that stays empty. */
    async function verifyBundle(file: string) {
      const empty = await mkdtemp(path.join(tmpdir(), 'hall-offline-'));
      const restore = setEnv({ DATABASE_URL: undefined, HALL_DATA_DIR: empty, SESSION_SECRET: undefined });
      try {
        const r = await hall('audit', 'verify-bundle', file);
        expect(await readdir(empty)).to.deep.equal([]);
        return { ...r, exit: (r.error as { oclif?: { exit?: number } } | undefined)?.oclif?.exit };
      } finally {
        restore();
        await rm(empty, { recursive: true, force: true });
      }
    }

    async function flipped(name: string, change: (lines: string[]) => void): Promise<string> {
      const lines = (await readFile(bundle, 'utf8')).split('\n');
      change(lines);
      const file = path.join(dir, name);
      await writeFile(file, lines.join('\n'));
      return file;
    }

    /** One byte of `line` changed at the first place `find` matches (after its length): a character swapped for its neighbour. */
    const flip = (line: string, find: RegExp): string => {
      const m = find.exec(line)!;
      const at = m.index + m[0].length;
      const c = line.charCodeAt(at);
      const swapped = String.fromCharCode(c === 0x41 ? 0x42 : c ^ 1);
      return line.slice(0, at) + swapped + line.slice(at + 1);
    };

    it('the intact bundle passes, offline', async () => {
      const r = await verifyBundle(bundle);
      expect(r.exit, r.stderr).to.equal(undefined);
      expect(r.stdout).to.match(/^INTACT: 10 entries proven against the checkpoint of \d+ entries/);
    });

    it('a byte changed in an entry is detected, naming the entry', async () => {
      const file = await flipped('entry.jsonl', (lines) => {
        const i = lines.findIndex((l) => l.includes('"section":"entry"'));
        lines[i] = flip(lines[i]!, /"actor_id":"T030/);
      });
      const r = await verifyBundle(file);
      expect(r.exit).to.equal(1);
      expect(r.stderr).to.match(/line 5 \(entry seq \d+\): the entry and its inclusion proof do not lead/);
    });

    it('a byte changed in an inclusion proof is detected, naming the entry', async () => {
      const file = await flipped('proof.jsonl', (lines) => {
        const i = lines.findLastIndex((l) => l.includes('"section":"entry"'));
        lines[i] = flip(lines[i]!, /"proof":\["/);
      });
      const r = await verifyBundle(file);
      expect(r.exit).to.equal(1);
      expect(r.stderr).to.match(/entry seq \d+\).*(inclusion proof do not lead|proof is not 32 bytes)/);
    });

    it('a byte changed in the checkpoint signature is detected', async () => {
      const file = await flipped('signature.jsonl', (lines) => {
        const i = lines.findIndex((l) => l.includes('"section":"checkpoint"'));
        lines[i] = flip(lines[i]!, /\\u2014 \S+ |— \S+ /);
      });
      const r = await verifyBundle(file);
      expect(r.exit).to.equal(1);
      expect(r.stderr).to.include("line 3: the checkpoint's signature does not verify");
    });

    it('a byte changed anywhere else (the README, the layout) is detected too', async () => {
      const readme = await flipped('readme.jsonl', (lines) => {
        lines[0] = flip(lines[0]!, /Exported /);
      });
      expect((await verifyBundle(readme)).stderr).to.include('line 1: the README is not the one');
      const layout = await flipped('layout.jsonl', (lines) => {
        lines[1] = lines[1]!.replace('{"entries"', '{ "entries"');
      });
      expect((await verifyBundle(layout)).stderr).to.include('line 2 is not written as the hall writes it');
    });

    it('export refuses a bundle about nothing, and anyone but auditors and the IT Office', async () => {
      const unscoped = await hall('audit', 'export', '--out', path.join(dir, 'x.jsonl'), '--operator', 'T0003');
      expect(String(unscoped.error?.message)).to.include('AUDIT.EVIDENCE_UNSCOPED');
      const refused = await hall(
        'audit',
        'export',
        '--person',
        'T0301',
        '--out',
        path.join(dir, 'y.jsonl'),
        '--operator',
        'T0301',
      );
      expect(String(refused.error?.message)).to.include('AUTH.FORBIDDEN');
    });
  });

  describe('prove-consistency and verify-consistency', () => {
    let kept: string;
    let proofFile: string;
    let key: string;
    let oldSize: number;
    let newSize: number;
    before(async () => {
      await hallWithCheckpoint();
      // an outsider keeps the checkpoint of today; the log grows and a new checkpoint is signed
      const old = await t.db.knex('audit_checkpoints').orderBy('id', 'desc').first();
      oldSize = Number(old.tree_size);
      kept = path.join(dir, 'kept-checkpoint.txt');
      await writeFile(kept, old.note as string);
      await writeAuditEntries(t.db.knex, 9);
      const latest = await hall('audit', 'checkpoint', '--operator', 'T0002', '--json');
      newSize = JSON.parse(latest.stdout).treeSize as number;
      key = (await t.container.ports.checkpointKeys.signer()).verifierKey;
      proofFile = path.join(dir, 'consistency.json');
      const { stdout, error } = await hall(
        'audit',
        'prove-consistency',
        '--from',
        String(oldSize),
        '--out',
        proofFile,
        '--operator',
        'T0003',
        '--json',
      );
      expect(error, String(error?.message)).to.equal(undefined);
      expect(JSON.parse(stdout)).to.include({ fromSize: oldSize, toSize: newSize });
    });

    /** verify-consistency with no database: DATABASE_URL unset, an empty data folder that stays empty. */
    async function verifyConsistency(...args: string[]) {
      const empty = await mkdtemp(path.join(tmpdir(), 'hall-offline-'));
      const restore = setEnv({ DATABASE_URL: undefined, HALL_DATA_DIR: empty, SESSION_SECRET: undefined });
      try {
        const r = await hall('audit', 'verify-consistency', ...args);
        expect(await readdir(empty)).to.deep.equal([]);
        return { ...r, exit: (r.error as { oclif?: { exit?: number } } | undefined)?.oclif?.exit };
      } finally {
        restore();
        await rm(empty, { recursive: true, force: true });
      }
    }

    /** A copy of a file with one change. */
    async function changed(name: string, file: string, change: (text: string) => string): Promise<string> {
      const out = path.join(dir, name);
      await writeFile(out, change(await readFile(file, 'utf8')));
      return out;
    }
    /** One byte of a base64 hash changed (still 32 bytes of base64). */
    const flipHash = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[7] = bytes[7]! ^ 1;
      return bytes.toString('base64');
    };
    const proofWith = (change: (doc: Record<string, unknown> & { proof: string[] }) => void) => (text: string) => {
      const doc = JSON.parse(text);
      change(doc);
      return JSON.stringify(doc, null, 2);
    };

    it('the kept checkpoint is extended by the new one: checked offline with the hall key', async () => {
      const r = await verifyConsistency('--proof', proofFile, '--old', kept, '--public-key', key);
      expect(r.exit, r.stderr).to.equal(undefined);
      expect(r.stdout).to.match(/^CONSISTENT: /);
      expect(r.stdout).to.include(
        `the checkpoint of ${newSize} entries of hall.campus.test/audit-log (key ${key.split('+')[1]}) extends the checkpoint of ${oldSize} entries`,
      );
      // the key from a file (--key), the old note from the whole checkpoint file, the notes the proof carries
      const keyFile = path.join(dir, 'audit.vkey');
      await writeFile(keyFile, `${key}\n`);
      expect((await verifyConsistency('--proof', proofFile, '--old', checkpointFile, '--key', keyFile)).exit).to.equal(
        undefined,
      );
      expect((await verifyConsistency('--proof', proofFile, '--key', key)).exit).to.equal(undefined);
    });

    it('a byte changed in the kept note, in a proof hash, in a root, or in the new note is detected', async () => {
      const note = await changed('kept-flipped.txt', kept, (text) =>
        text.replace(/\n(\d+)\n/, (_m, n: string) => `\n${Number(n) - 1}\n`),
      );
      const a = await verifyConsistency('--proof', proofFile, '--old', note, '--public-key', key);
      expect(a.exit).to.equal(1);
      expect(a.stderr).to.include("the old checkpoint's signature does not verify");

      const hash = await changed(
        'proof-hash.json',
        proofFile,
        proofWith((d) => (d.proof[0] = flipHash(d.proof[0]!))),
      );
      const b = await verifyConsistency('--proof', hash, '--old', kept, '--public-key', key);
      expect(b.exit).to.equal(1);
      expect(b.stderr).to.include(`the consistency proof does not lead from the root of ${oldSize} entries`);

      const root = await changed(
        'proof-root.json',
        proofFile,
        proofWith((d) => (d.toRoot = flipHash(d.toRoot as string))),
      );
      const c = await verifyConsistency('--proof', root, '--old', kept, '--public-key', key);
      expect(c.exit).to.equal(1);
      expect(c.stderr).to.include("the proof's toRoot is not the new checkpoint's root hash");

      const newNote = await changed(
        'proof-note.json',
        proofFile,
        proofWith((d) => {
          const lines = (d.toCheckpoint as string).split('\n');
          lines[2] = flipHash(lines[2]!);
          d.toCheckpoint = lines.join('\n');
        }),
      );
      const e = await verifyConsistency('--proof', newNote, '--old', kept, '--public-key', key);
      expect(e.exit).to.equal(1);
      expect(e.stderr).to.include("the new checkpoint's signature does not verify");

      const other = await verifyConsistency(
        '--proof',
        proofFile,
        '--old',
        kept,
        '--public-key',
        'other/log+00000000+AQ==',
      );
      expect(other.exit).to.equal(1);
      const json = await verifyConsistency('--proof', hash, '--old', kept, '--public-key', key, '--json');
      expect(json.exit).to.equal(1);
      expect(JSON.parse(json.stdout)).to.include({ consistent: false, fromSize: oldSize, toSize: newSize });
    });

    it('usage: no key, or a file that cannot be read, is exit 2; prove-consistency refuses bad sizes and strangers', async () => {
      expect((await verifyConsistency('--proof', proofFile)).exit).to.equal(2);
      expect((await verifyConsistency('--proof', path.join(dir, 'nope.json'), '--key', key)).exit).to.equal(2);
      const backwards = await hall(
        'audit',
        'prove-consistency',
        '--from',
        String(newSize),
        '--to',
        String(oldSize),
        '--operator',
        'T0003',
      );
      expect((backwards.error as { oclif?: { exit?: number } }).oclif?.exit).to.equal(2);
      expect(String(backwards.error?.message)).to.include('AUDIT.BAD_RANGE');
      const beyond = await hall(
        'audit',
        'prove-consistency',
        '--from',
        '1',
        '--to',
        String(newSize + 100),
        '--operator',
        'T0003',
      );
      expect(String(beyond.error?.message)).to.include('AUDIT.BAD_TREE_SIZE');
      const refused = await hall('audit', 'prove-consistency', '--from', '1', '--operator', 'T0301');
      expect(String(refused.error?.message)).to.include('AUTH.FORBIDDEN');
      // without --out the proof goes to standard output
      const out = await hall('audit', 'prove-consistency', '--from', '1', '--operator', 'T0003');
      expect(JSON.parse(out.stdout)).to.include({ fromSize: 1, toSize: newSize });
    });
  });
});
