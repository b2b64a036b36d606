/**
 * Checkpoints of the audit tree as C2SP tlog-checkpoint signed notes
 * (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note):
 *
 *     <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key id || signature)>\n
 *
 * The signature (Ed25519) is over the note's text: the three body lines, each ending in a newline.
 */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
}

export interface NoteSignature {
  keyName: string;
  /** 4 bytes: the first bytes of SHA-256(key name || 0x0A || 0x01 || public key). */
  keyId: Uint8Array;
  signature: Uint8Array;
}

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Standard base64 with padding, one spelling only (the one toBase64 writes); null otherwise. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const out = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return toBase64(out) === text ? out : null;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text: string): Uint8Array | null {
  if (!/^([0-9a-f]{2})*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The origin line: printable, no spaces at either end, no '+' (it separates parts of a key name). */
export function isValidOrigin(origin: string): boolean {
  return /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(origin) && !origin.includes('+');
}

/** The note's text (what is signed). */
export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.treeSize}\n${toBase64(c.rootHash)}\n`;
}

export function signatureLine(s: NoteSignature): string {
  const blob = new Uint8Array(4 + s.signature.length);
  blob.set(s.keyId, 0);
  blob.set(s.signature, 4);
  return `\u2014 ${s.keyName} ${toBase64(blob)}\n`;
}

/** The signed note: body, blank line, signature lines. */
export function signedNote(c: Checkpoint, signatures: readonly NoteSignature[]): string {
  return `${checkpointBody(c)}\n${signatures.map(signatureLine).join('')}`;
}

export type ParsedNote =
  { ok: true; checkpoint: Checkpoint; body: string; signatures: NoteSignature[] } | { ok: false; reason: string };

/** Reads a signed checkpoint note, strictly: any other shape is refused, saying why. */
export function parseSignedNote(note: string): ParsedNote {
  const cut = note.indexOf('\n\n');
  if (cut < 0) return { ok: false, reason: 'the note has no blank line before its signatures' };
  const body = note.slice(0, cut + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) return { ok: false, reason: 'the checkpoint needs an origin, a tree size and a root hash' };
  const [origin, size, root] = lines as [string, string, string];
  if (lines.length > 3) return { ok: false, reason: 'the checkpoint has lines after its root hash' };
  if (!isValidOrigin(origin)) return { ok: false, reason: 'the checkpoint origin line is not valid' };
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size)) return { ok: false, reason: 'the tree size is not a decimal number' };
  const rootHash = fromBase64(root);
  if (!rootHash || rootHash.length !== 32) return { ok: false, reason: 'the root hash is not 32 bytes of base64' };
  const sigText = note.slice(cut + 2);
  if (!sigText.endsWith('\n')) return { ok: false, reason: 'the note does not end with a newline' };
  const signatures: NoteSignature[] = [];
  for (const line of sigText.slice(0, -1).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    const blob = m ? fromBase64(m[2]!) : null;
    if (!m || !blob || blob.length < 5) return { ok: false, reason: `the signature line '${line}' is not valid` };
    signatures.push({ keyName: m[1]!, keyId: blob.slice(0, 4), signature: blob.slice(4) });
  }
  if (!signatures.length) return { ok: false, reason: 'the note carries no signature' };
  return { ok: true, checkpoint: { origin, treeSize: Number(size), rootHash }, body, signatures };
}

/** The notes of a checkpoint file: signed notes one after the other, each followed by a blank line. */
export function notesOfCheckpointFile(text: string): string[] {
  const notes: string[] = [];
  for (const chunk of text.split(/\n\n(?=[^\u2014\n])/)) {
    const t = chunk.replace(/\n+$/, '');
    if (t.trim()) notes.push(`${t}\n`);
  }
  return notes;
}
