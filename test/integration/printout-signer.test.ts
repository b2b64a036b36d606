import { expect } from 'chai';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  defaultSigningKeyFile,
  Ed25519PrintoutSigner,
  generateSigningKeyPem,
  keyIdOf,
  keyIdOfPem,
  loadOrCreateSigningKey,
  publicKeyPemOf,
  signerFromPem,
  verifySignature,
} from '../../src/adapters/driven/printout/ed25519-signer.js';

describe('printout signing key (Ed25519, node:crypto)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-printout-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const data = new TextEncoder().encode('{"caseNumber":"2026-JW-000123","applicant":"张三丰"}');

  it('the embedded default lives in <data dir>/keys/printout-ed25519.pem', () => {
    expect(defaultSigningKeyFile('./var')).to.equal(path.join('var', 'keys', 'printout-ed25519.pem'));
    expect(defaultSigningKeyFile('/srv/hall')).to.equal('/srv/hall/keys/printout-ed25519.pem');
  });

  it('is generated on first start (folders created, mode 0600, PKCS#8 PEM) and loaded after', async () => {
    const file = defaultSigningKeyFile(path.join(dir, 'data'));
    const first = await loadOrCreateSigningKey(file);
    expect(first.created).to.equal(true);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const pem = await readFile(file, 'utf8');
    expect(pem).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
    const again = await loadOrCreateSigningKey(file);
    expect(again.created).to.equal(false);
    expect(again.signer.keyId).to.equal(first.signer.keyId);
    expect(again.signer.publicKeyPem).to.equal(first.signer.publicKeyPem);
    expect(await readdir(path.dirname(file))).to.deep.equal(['printout-ed25519.pem']);
  });

  it('two processes starting at once end up with one key', async () => {
    const file = path.join(dir, 'keys', 'k.pem');
    const results = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(file)));
    expect(new Set(results.map((r) => r.signer.keyId)).size).to.equal(1);
    expect(results.filter((r) => r.created)).to.have.length(1);
    expect(await readdir(path.dirname(file))).to.deep.equal(['k.pem']);
  });

  it('refuses a key file that holds no Ed25519 private key', async () => {
    const file = path.join(dir, 'bad.pem');
    await writeFile(file, 'not a key');
    let error: unknown;
    try {
      await loadOrCreateSigningKey(file);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => signerFromPem(ec)).to.throw(/Ed25519/);
    expect(
      () => new Ed25519PrintoutSigner(createPublicKey(signerFromPem(generateSigningKeyPem()).publicKeyPem)),
    ).to.throw(/private key/);
  });

  it('key id: the first 16 hex digits of the SHA-256 of the SPKI DER', () => {
    const signer = signerFromPem(generateSigningKeyPem());
    const der = createPublicKey(signer.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(signer.keyId).to.equal(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(signer.keyId).to.match(/^[0-9a-f]{16}$/);
    expect(keyIdOf(createPublicKey(signer.publicKeyPem))).to.equal(signer.keyId);
    expect(keyIdOfPem(signer.publicKeyPem)).to.equal(signer.keyId);
  });

  it('the public key of a private or public PEM', () => {
    const pem = generateSigningKeyPem();
    const signer = signerFromPem(pem);
    expect(signer.publicKeyPem).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKeyPemOf(pem)).to.equal(signer.publicKeyPem);
    expect(publicKeyPemOf(signer.publicKeyPem)).to.equal(signer.publicKeyPem);
    expect(keyIdOfPem(pem)).to.equal(signer.keyId);
    expect(() => publicKeyPemOf('nonsense')).to.throw();
  });

  it('signs deterministically (base64url, 64 bytes) and verifies only the same data with the same key', () => {
    const signer = signerFromPem(generateSigningKeyPem());
    const other = signerFromPem(generateSigningKeyPem());
    const signature = signer.sign(data);
    expect(signature).to.match(/^[A-Za-z0-9_-]{86}$/);
    expect(signer.sign(data)).to.equal(signature);
    expect(verifySignature(data, signature, signer.publicKeyPem)).to.equal(true);
    expect(signer.verify(data, signature)).to.equal(true);
    const changed = Uint8Array.from(data);
    changed[5] = changed[5]! ^ 1;
    expect(verifySignature(changed, signature, signer.publicKeyPem)).to.equal(false);
    expect(verifySignature(data, signature, other.publicKeyPem)).to.equal(false);
    expect(other.verify(data, signature)).to.equal(false);
  });

  it('verifySignature never throws: a garbled signature or key is simply not valid', () => {
    const signer = signerFromPem(generateSigningKeyPem());
    const signature = signer.sign(data);
    expect(verifySignature(data, '', signer.publicKeyPem)).to.equal(false);
    expect(verifySignature(data, `${signature}==`, signer.publicKeyPem)).to.equal(false);
    expect(
      verifySignature(data, signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A'), signer.publicKeyPem),
    ).to.equal(false);
    expect(verifySignature(data, signature.replace(/./, '+'), signer.publicKeyPem)).to.equal(false);
    expect(verifySignature(data, signature, 'not a key')).to.equal(false);
  });
});
