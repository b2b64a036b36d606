import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { canonicalBytes, type PrintoutContent } from '../../src/domain/printout/printout.js';
import {
  defaultSigningKeyFile,
  generateSigningKeyPem,
  loadOrCreateSigningKey,
  signerFromPem,
  type Ed25519PrintoutSigner,
} from '../../src/adapters/driven/printout/ed25519-signer.js';
import { PdfkitPrintoutRenderer } from '../../src/adapters/driven/printout/pdfkit-renderer.js';
import { samplePrintout } from '../fixtures/printout.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** `hall receipt verify`: the offline check of a printout PDF, with no server and no database. */
describe('hall receipt verify', function () {
  this.timeout(60_000);
  let dir: string;
  let signer: Ed25519PrintoutSigner;
  let signerPem: string;
  let renderer: PdfkitPrintoutRenderer;
  const content = samplePrintout();
  const files = { authentic: '', altered: '', other: '', plain: '', publicKey: '', otherKey: '', notAKey: '' };

  const render = (c: PrintoutContent, s: Ed25519PrintoutSigner, signature = s.sign(canonicalBytes(c))) =>
    renderer.render({
      content: c,
      signature,
      keyId: s.keyId,
      verifyUrl: `https://hall.example.edu.cn/api/v1/verify/${c.code}`,
    });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-receipt-'));
    renderer = new PdfkitPrintoutRenderer();
    signerPem = generateSigningKeyPem();
    signer = signerFromPem(signerPem);
    const other = signerFromPem(generateSigningKeyPem());
    Object.assign(files, {
      authentic: path.join(dir, 'authentic.pdf'),
      altered: path.join(dir, 'altered.pdf'),
      other: path.join(dir, 'other.pdf'),
      plain: path.join(dir, 'plain.pdf'),
      publicKey: path.join(dir, 'hall.pub.pem'),
      otherKey: path.join(dir, 'other.pub.pem'),
      notAKey: path.join(dir, 'x.pem'),
    });
    const pdf = await render(content, signer);
    await writeFile(files.authentic, pdf);
    // one byte of the signed content changed in place: case number ...123 -> ...124
    const raw = pdf.toString('latin1');
    const payload = Buffer.from(canonicalBytes(content)).toString('base64url');
    const json = Buffer.from(canonicalBytes(content));
    json[json.indexOf('2026-JW-000123') + 13] = '4'.charCodeAt(0);
    const altered = Buffer.from(pdf);
    altered.write(json.toString('base64url'), raw.indexOf(payload), 'latin1');
    await writeFile(files.altered, altered);
    await writeFile(files.other, await render(content, other));
    await writeFile(files.plain, '%PDF-1.3\n%%EOF\n');
    await writeFile(files.publicKey, signer.publicKeyPem);
    await writeFile(files.otherKey, other.publicKeyPem);
    await writeFile(files.notAKey, 'hello');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const hall = (...args: string[]) => runCommand(['receipt', 'verify', ...args], { root });

  it('an authentic printout: exit 0, what it says, and where to check revocation online', async () => {
    const { stdout, error } = await hall(files.authentic, '--public-key', files.publicKey);
    expect(error, String(error?.message)).to.equal(undefined);
    expect(stdout).to.contain(`AUTHENTIC: the content is signed by key ${signer.keyId}`);
    for (const s of [
      '2026-JW-000123',
      '在读证明开具 (JW-ZDZM)',
      '张三丰 (计算机学院)',
      '已办结 Completed',
      '2026-03-01T06:05:00.000Z',
      'K7Q2-9MXD-4HTR',
      '李教务',
      '/api/v1/verify/K7Q2-9MXD-4HTR',
    ]) {
      expect(stdout, s).to.contain(s);
    }
  });

  it('--json prints the check with the signed content', async () => {
    const { stdout, error } = await hall(files.authentic, '--public-key', files.publicKey, '--json');
    expect(error).to.equal(undefined);
    expect(JSON.parse(stdout)).to.deep.equal({
      status: 'authentic',
      file: files.authentic,
      publicKey: { source: files.publicKey, keyId: signer.keyId },
      signedBy: signer.keyId,
      content,
      verifyPath: '/api/v1/verify/K7Q2-9MXD-4HTR',
      message: `the content is signed by key ${signer.keyId}`,
    });
  });

  it('one changed byte in the signed content: ALTERED, exit 1', async () => {
    const { stdout, stderr, error } = await hall(files.altered, '--public-key', files.publicKey);
    expect(error?.oclif?.exit).to.equal(1);
    expect(stderr).to.contain('ALTERED: the content does not match its signature');
    expect(stdout).to.not.contain('AUTHENTIC');
    const json = await hall(files.altered, '--public-key', files.publicKey, '--json');
    expect(json.error?.oclif?.exit).to.equal(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.status).to.equal('altered');
    expect(parsed.content.caseNumber).to.equal('2026-JW-000124');
  });

  it('signed with another key, or not a printout: exit 1 with the reason', async () => {
    const other = await hall(files.other, '--public-key', files.publicKey, '--json');
    expect(other.error?.oclif?.exit).to.equal(1);
    expect(JSON.parse(other.stdout)).to.include({ status: 'unknown-key' });
    const human = await hall(files.authentic, '--public-key', files.otherKey);
    expect(human.error?.oclif?.exit).to.equal(1);
    expect(human.stderr).to.contain(`UNKNOWN-KEY: signed with key ${signer.keyId}`);
    const plain = await hall(files.plain, '--public-key', files.publicKey);
    expect(plain.error?.oclif?.exit).to.equal(1);
    expect(plain.stderr).to.contain('NOT-A-PRINTOUT');
  });

  it('usage errors exit 2: no file argument, a file or key that cannot be read, a key that is no key', async () => {
    expect((await hall()).error?.oclif?.exit).to.equal(2);
    const missing = await hall(path.join(dir, 'missing.pdf'), '--public-key', files.publicKey);
    expect(missing.error?.oclif?.exit).to.equal(2);
    expect(missing.error?.message).to.contain('ENOENT');
    expect((await hall(files.authentic, '--public-key', path.join(dir, 'missing.pem'))).error?.oclif?.exit).to.equal(2);
    const notAKey = await hall(files.authentic, '--public-key', files.notAKey, '--json');
    expect(notAKey.error?.oclif?.exit).to.equal(2);
    expect(JSON.parse(notAKey.stdout).error.message).to.contain('no Ed25519 key');
  });

  it("without --public-key, the hall's own key: the private key file at HALL_SIGNING_KEY_FILE", async () => {
    const keyFile = path.join(dir, 'signing.pem');
    const saved = process.env.HALL_SIGNING_KEY_FILE;
    process.env.HALL_SIGNING_KEY_FILE = keyFile;
    try {
      await writeFile(keyFile, signerPem);
      const { stdout, error } = await hall(files.authentic);
      expect(error, String(error?.message)).to.equal(undefined);
      expect(stdout).to.contain(`AUTHENTIC: the content is signed by key ${signer.keyId}`);
      await writeFile(keyFile, generateSigningKeyPem());
      expect((await hall(files.authentic)).error?.oclif?.exit).to.equal(1);
    } finally {
      if (saved === undefined) delete process.env.HALL_SIGNING_KEY_FILE;
      else process.env.HALL_SIGNING_KEY_FILE = saved;
    }
  });

  it('runs as a process of its own with no server and no database: the key in an otherwise empty HALL_DATA_DIR', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-receipt-data-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HALL_DATA_DIR: dataDir, NODE_ENV: 'development' };
    for (const k of ['DATABASE_URL', 'HALL_SIGNING_KEY_FILE', 'SESSION_SECRET', 'HALL_TEST_ADMIN_URL']) delete env[k];
    const hallProcess = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'bin/dev.js', 'receipt', 'verify', ...args], { cwd: root, env });
    const failure = (...args: string[]) =>
      hallProcess(...args).then(
        () => expect.fail('should have exited non-zero'),
        (e: { code?: number; stderr?: string }) => e,
      );
    try {
      let failed = await failure(files.authentic);
      expect(failed.code).to.equal(1);
      expect(failed.stderr).to.contain('no key to check against');

      const { signer: own } = await loadOrCreateSigningKey(defaultSigningKeyFile(dataDir));
      const file = path.join(dir, 'from-the-hall.pdf');
      await writeFile(file, await render(content, own));
      const { stdout } = await hallProcess(file, '--json');
      expect(JSON.parse(stdout)).to.include({ status: 'authentic', signedBy: own.keyId });
      // nothing else was created: no embedded database, no secrets
      expect(await readdir(dataDir)).to.deep.equal(['keys']);

      failed = await failure(files.authentic);
      expect(failed.code).to.equal(1);
      expect(failed.stderr).to.contain('UNKNOWN-KEY');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
