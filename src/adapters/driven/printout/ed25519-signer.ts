import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrintoutKeys, PrintoutSigner } from '../../../application/ports/printout.port.js';

/** Where the embedded default keeps the printout signing key: `<data dir>/keys/printout-ed25519.pem`. */
export function defaultSigningKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'printout-ed25519.pem');
}

/** The first 16 hex digits of the SHA-256 of the public key's SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function ed25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`printout keys are Ed25519, not ${key.asymmetricKeyType ?? key.type}`);
  return key;
}

/** The public key (SPKI PEM) of a PEM that holds either a public key or a private key. */
export function publicKeyPemOf(pem: string): string {
  const key = /-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(pem)
    ? createPublicKey(createPrivateKey(pem))
    : createPublicKey(pem);
  return ed25519(key).export({ type: 'spki', format: 'pem' }).toString();
}

/** The key id of a public or private key PEM. */
export function keyIdOfPem(pem: string): string {
  return keyIdOf(createPublicKey(publicKeyPemOf(pem)));
}

/** Ed25519 keys from PEM text, as the PrintoutKeys port. */
export class Ed25519PrintoutKeys implements PrintoutKeys {
  publicKeyOf(pem: string): { publicKeyPem: string; keyId: string } {
    const publicKeyPem = publicKeyPemOf(pem);
    return { publicKeyPem, keyId: keyIdOfPem(publicKeyPem) };
  }
}

/** Whether signature (base64url) is a valid Ed25519 signature of data by publicKeyPem. Never throws. */
export function verifySignature(data: Uint8Array, signature: string, publicKeyPem: string): boolean {
  try {
    const bytes = Buffer.from(signature, 'base64url');
    // one spelling only: no padding, no other characters, no stray low bits in the last one
    if (bytes.toString('base64url') !== signature) return false;
    return verify(null, data, ed25519(createPublicKey(publicKeyPem)), bytes);
  } catch {
    return false;
  }
}

export class Ed25519PrintoutSigner implements PrintoutSigner {
  readonly keyId: string;
  readonly publicKeyPem: string;
  private readonly publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    ed25519(privateKey);
    if (privateKey.type !== 'private') throw new Error('a printout signer needs a private key');
    this.publicKey = createPublicKey(privateKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = keyIdOf(this.publicKey);
  }

  sign(data: Uint8Array): string {
    return sign(null, data, this.privateKey).toString('base64url');
  }

  verify(data: Uint8Array, signature: string): boolean {
    return verifySignature(data, signature, this.publicKeyPem);
  }
}

/** A signer from a PKCS#8 PEM private key. */
export function signerFromPem(pem: string): Ed25519PrintoutSigner {
  return new Ed25519PrintoutSigner(createPrivateKey(pem));
}

/** A new key pair, its private key as PKCS#8 PEM. */
export function generateSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * The signer whose PKCS#8 PEM private key is in file; when there is no such file, a new key is
 * generated and written there (mode 0600, folders created). Two processes starting at once agree
 * on one key: the file appears whole and only once, and the loser reads the winner's.
 */
export async function loadOrCreateSigningKey(
  file: string,
): Promise<{ signer: Ed25519PrintoutSigner; created: boolean }> {
  try {
    return { signer: signerFromPem(await readFile(file, 'utf8')), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const pem = generateSigningKeyPem();
  // written whole under a temporary name, then linked into place: link() refuses an existing file
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { signer: signerFromPem(await readFile(file, 'utf8')), created: false };
  } finally {
    await rm(temp, { force: true });
  }
  return { signer: signerFromPem(pem), created: true };
}
