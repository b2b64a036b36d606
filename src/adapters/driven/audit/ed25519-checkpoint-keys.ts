import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  CheckpointKeys,
  CheckpointSigner,
  NoteCheck,
  NoteVerifier,
} from '../../../application/ports/audit-checkpoints.port.js';
import { fromBase64, isValidOrigin, parseSignedNote, toBase64, toHex } from '../../../domain/audit/checkpoint.js';
import { generateSigningKeyPem, loadOrCreateSigningKey } from '../printout/ed25519-signer.js';

/** Where the embedded default keeps the checkpoint signing key. */
export function defaultCheckpointKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'audit-checkpoint-ed25519.pem');
}

const ED25519 = 0x01;

/** The raw 32-byte Ed25519 public key. */
function rawPublicKey(key: KeyObject): Uint8Array {
  const der = key.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** The signed-note key id: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key). */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const h = createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest();
  return new Uint8Array(h.subarray(0, 4));
}

/** The signed-note verifier key: `<name>+<key id hex>+<base64(0x01 || public key)>`. */
export function verifierKeyOf(name: string, publicKey: Uint8Array): string {
  return `${name}+${toHex(noteKeyId(name, publicKey))}+${toBase64(new Uint8Array([ED25519, ...publicKey]))}`;
}

interface ParsedVerifierKey {
  name: string;
  keyId: string;
  key: KeyObject;
}

function parseVerifierKey(text: string): ParsedVerifierKey | string {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
  if (!m) return 'not of the form <name>+<key id>+<base64 key>';
  const [, name, keyId, b64] = m as unknown as [string, string, string, string];
  const blob = fromBase64(b64);
  if (!blob || blob.length !== 33 || blob[0] !== ED25519) return 'not an Ed25519 verifier key';
  const raw = blob.subarray(1);
  if (toHex(noteKeyId(name, raw)) !== keyId) return 'its key id does not belong to its key';
  // SPKI DER of an Ed25519 key: a fixed 12-byte prefix, then the key
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return { name, keyId, key: createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
}

/** Checks signed notes offline with Ed25519 verifier keys. */
export class Ed25519NoteVerifier implements NoteVerifier {
  describeKey(verifierKey: string): { ok: true; keyName: string; keyId: string } | { ok: false; reason: string } {
    try {
      const k = parseVerifierKey(verifierKey);
      return typeof k === 'string' ? { ok: false, reason: k } : { ok: true, keyName: k.name, keyId: k.keyId };
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  }

  verify(note: string, verifierKeys: readonly string[]): NoteCheck {
    const parsed = parseSignedNote(note);
    if (!parsed.ok) return parsed;
    const keys = verifierKeys.map(parseVerifierKey).filter((k): k is ParsedVerifierKey => typeof k !== 'string');
    for (const s of parsed.signatures) {
      const key = keys.find((k) => k.name === s.keyName && k.keyId === toHex(s.keyId));
      if (!key) continue;
      let good = false;
      try {
        good = verify(null, Buffer.from(parsed.body, 'utf8'), key.key, s.signature);
      } catch {
        good = false;
      }
      if (!good) return { ok: false, reason: `the signature by ${s.keyName} (key ${toHex(s.keyId)}) is not valid` };
      if (parsed.checkpoint.origin !== s.keyName)
        return { ok: false, reason: `the note is signed by ${s.keyName}, not by its log ${parsed.checkpoint.origin}` };
      return {
        ok: true,
        keyName: s.keyName,
        keyId: key.keyId,
        treeSize: parsed.checkpoint.treeSize,
        rootHash: parsed.checkpoint.rootHash,
        origin: parsed.checkpoint.origin,
      };
    }
    const by = parsed.signatures.map((s) => `${s.keyName} ${toHex(s.keyId)}`).join(', ');
    return { ok: false, reason: `no signature by a known key (signed by ${by})` };
  }
}

/**
 * The checkpoint key, kept like the printout key: an Ed25519 PKCS#8 PEM file (generated on first
 * use when absent, mode 0600). Rotation keeps the retired key's verifier key beside it
 * (`<file>.retired-<key id>.vkey`), so every checkpoint it signed still verifies, and replaces the
 * key file with a new key. The key name is the log's origin.
 */
export class FileCheckpointKeys implements CheckpointKeys {
  private loading: Promise<CheckpointSigner> | undefined;

  constructor(
    private readonly file: string,
    private readonly origin: string,
  ) {
    if (!isValidOrigin(origin)) throw new Error(`'${origin}' is not a valid checkpoint origin`);
  }

  signer(): Promise<CheckpointSigner> {
    return (this.loading ??= this.load().catch((e: unknown) => {
      this.loading = undefined;
      throw e;
    }));
  }

  private async load(): Promise<CheckpointSigner> {
    const { signer } = await loadOrCreateSigningKey(this.file);
    const raw = rawPublicKey(createPublicKey(signer.publicKeyPem));
    const keyName = this.origin;
    const keyId = noteKeyId(keyName, raw);
    return {
      keyName,
      keyId: toHex(keyId),
      verifierKey: verifierKeyOf(keyName, raw),
      publicKeyPem: signer.publicKeyPem,
      sign: (body) => ({
        keyName,
        keyId,
        signature: new Uint8Array(Buffer.from(signer.sign(Buffer.from(body, 'utf8')), 'base64url')),
      }),
    };
  }

  async verifierKeys(): Promise<string[]> {
    const current = (await this.signer()).verifierKey;
    const dir = path.dirname(this.file);
    const prefix = `${path.basename(this.file)}.retired-`;
    const retired: string[] = [];
    for (const name of (await readdir(dir).catch(() => [] as string[])).sort())
      if (name.startsWith(prefix) && name.endsWith('.vkey'))
        retired.push((await readFile(path.join(dir, name), 'utf8')).trim());
    return [current, ...retired];
  }

  async rotate(): Promise<{ retiredKeyId: string | null; keyId: string }> {
    const old = await this.signer();
    await writeFile(`${this.file}.retired-${old.keyId}.vkey`, `${old.verifierKey}\n`, { mode: 0o644 });
    const temp = `${this.file}.${process.pid}.new`;
    await writeFile(temp, generateSigningKeyPem(), { mode: 0o600, flag: 'w' });
    try {
      await rename(temp, this.file);
    } finally {
      await rm(temp, { force: true });
    }
    this.loading = undefined;
    return { retiredKeyId: old.keyId, keyId: (await this.signer()).keyId };
  }
}
