import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { setEnv } from '../fixtures/process-env.js';
import type { EvalExportResult } from '../../ops/commands/eval/export.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hall = (...args: string[]) => runCommand(args, { root });
const exitOf = (error: unknown) => (error as { oclif?: { exit?: number } } | undefined)?.oclif?.exit;

/**
 * `hall eval export` and `hall eval list`: the file and its manifest, the same bytes for a year that
 * is over, the filing and its audit entry, no overwriting, and only the offices export.
 */
describe('hall eval (in process)', function () {
  this.timeout(120_000);
  let dir: string;
  let t: TestApp;
  let restoreEnv = () => {};

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-eval-'));
    t = await createTestApp();
    restoreEnv = setEnv({
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      AUDIT_SIGNING_KEY_FILE: t.container.config.audit.signingKeyFile,
      AUDIT_LOG_ORIGIN: t.container.config.audit.origin,
    });
  });
  after(async () => {
    restoreEnv();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the file and its manifest, files the export, and gives the same bytes again for a year that is over', async () => {
    const out = path.join(dir, 'eval-2025.xlsx');
    const first = await hall('eval', 'export', '--year', '2025', '--out', out, '--operator', 'T0001', '--json');
    expect(first.error, String(first.error?.message)).to.equal(undefined);
    const r = JSON.parse(first.stdout) as EvalExportResult;
    const bytes = await readFile(out);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const manifest = JSON.parse(await readFile(`${out}.manifest.json`, 'utf8'));
    expect(manifest).to.deep.equal({
      file: 'eval-2025.xlsx',
      format: 'xlsx',
      sha256: sha,
      size: bytes.length,
      year: 2025,
      unit: null,
      asOf: '2025-12-31T16:00:00.000Z',
      provisional: false,
      definitionsVersion: 'art18-2026.1',
    });
    expect(r.manifest).to.deep.equal(manifest);
    expect(bytes.subarray(0, 2).toString()).to.equal('PK');

    const filing = await t.db.knex('evaluation_exports').where({ id: r.filingId }).first();
    expect(filing).to.include({ year: 2025, format: 'xlsx', sha256: sha, exported_by: 'T0001', provisional: false });
    const audit = await t.db.knex('audit_log').where({ action: 'evaluation.exported', entity_id: r.filingId });
    expect(audit).to.have.length(1);
    expect(audit[0].actor_id).to.equal('T0001');

    // the same year again, to another file: the same bytes (the IT Office may export too)
    const again = path.join(dir, 'eval-2025-again.xlsx');
    const second = await hall('eval', 'export', '--year', '2025', '--out', again, '--operator', 'T0002');
    expect(second.error, String(second.error?.message)).to.equal(undefined);
    expect(second.stdout).to.include(`sha256 ${sha}`);
    expect(Buffer.compare(await readFile(again), bytes)).to.equal(0);

    const list = await hall('eval', 'list', '--year', '2025', '--operator', 'T0003', '--json');
    expect(list.error, String(list.error?.message)).to.equal(undefined);
    const items = (JSON.parse(list.stdout) as { items: Array<{ exportedBy: string; sha256: string }> }).items;
    expect(items.map((i) => [i.exportedBy, i.sha256])).to.deep.equal([
      ['T0002', sha],
      ['T0001', sha],
    ]);
  });

  it('writes a CSV for one unit under the default name, and refuses to overwrite it', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const first = await hall(
        'eval',
        'export',
        '--year',
        '2026',
        '--unit',
        'finance',
        '--format',
        'csv',
        '--operator',
        'T0001',
      );
      expect(first.error, String(first.error?.message)).to.equal(undefined);
      expect(first.stdout).to.include('provisional');
      const text = await readFile(path.join(dir, 'evaluation-2026-finance.csv'), 'utf8');
      expect(text.startsWith('\uFEFF层级,单位代码,单位名称,事项编码,事项名称,受理量')).to.equal(true);
      expect(text).not.to.include('全校,');
      const filings = await t.db.knex('evaluation_exports').where({ unit_key: 'finance' });
      expect(filings).to.have.length(1);

      await writeFile(path.join(dir, 'taken.csv'), 'mine');
      const refused = await hall(
        'eval',
        'export',
        '--year',
        '2026',
        '--format',
        'csv',
        '--out',
        'taken.csv',
        '--operator',
        'T0001',
      );
      expect(exitOf(refused.error)).to.equal(2);
      expect(String(refused.error?.message)).to.include('EEXIST');
      expect(await readFile(path.join(dir, 'taken.csv'), 'utf8')).to.equal('mine');
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses an auditor (who reads, but does not export), a bad year and an unknown unit, writing nothing', async () => {
    const before = (await t.db.knex('evaluation_exports').count({ n: '*' }).first())!.n;
    const out = path.join(dir, 'never.xlsx');
    const auditor = await hall('eval', 'export', '--year', '2025', '--out', out, '--operator', 'T0003');
    expect(exitOf(auditor.error)).to.equal(2);
    expect(String(auditor.error?.message)).to.include('AUTH.FORBIDDEN');
    const bad = await hall(
      'eval',
      'export',
      '--year',
      '1999',
      '--unit',
      'nowhere',
      '--out',
      out,
      '--operator',
      'T0001',
    );
    expect(exitOf(bad.error)).to.equal(2);
    expect(String(bad.error?.message)).to.include('EVALUATION.BAD_REQUEST');
    expect(String(bad.error?.message)).to.include("no unit 'nowhere'");
    expect((await t.db.knex('evaluation_exports').count({ n: '*' }).first())!.n).to.equal(before);
    await readFile(out).then(
      () => expect.fail('a refused export wrote a file'),
      () => undefined,
    );
  });
});
