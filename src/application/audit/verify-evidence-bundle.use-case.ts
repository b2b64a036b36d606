import { leafBytes, type LeafDocument } from '../../domain/audit/audit-leaf.js';
import { canonicalJson } from '../../domain/audit/canonical-json.js';
import { fromBase64 } from '../../domain/audit/checkpoint.js';
import { equalBytes, leafHash, rootFromInclusionProof } from '../../domain/audit/merkle.js';
import type { NoteVerifier } from '../ports/audit-checkpoints.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { hashFnOf } from './audit-tree.js';
import { BUNDLE_FORMAT, readmeLines, type BundleEntry, type BundleHeader } from './evidence-bundle.js';

export interface BundleVerification {
  valid: boolean;
  /** What is wrong, in file order; each names the line (and the entry's seq). */
  problems: string[];
  entries: number;
  treeSize: number | null;
  keyId: string | null;
  origin: string | null;
  selection: BundleHeader['selection'] | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `hall audit verify-bundle`: checks an evidence bundle offline (no server, no database): every
 * line is the canonical JSON the hall writes, the README is the one for its header, the checkpoint
 * is signed by the bundle's key (and that key is the one pinned, when one is), and every entry's
 * inclusion proof leads from the entry to the checkpoint's root.
 */
export class VerifyEvidenceBundleUseCase {
  constructor(private readonly deps: { sha256: Sha256; notes: NoteVerifier }) {}

  execute(input: { text: string; trustedKey?: string }): BundleVerification {
    const problems: string[] = [];
    const out: BundleVerification = {
      valid: false,
      problems,
      entries: 0,
      treeSize: null,
      keyId: null,
      origin: null,
      selection: null,
    };
    if (!input.text.endsWith('\n')) problems.push('the file does not end with a newline: it was cut or altered');
    const raw = input.text.split('\n');
    if (raw[raw.length - 1] === '') raw.pop();
    const lines: unknown[] = [];
    for (const [i, line] of raw.entries()) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        problems.push(`line ${i + 1} is not JSON (${(e as Error).message}): the file was altered`);
        lines.push(undefined);
        continue;
      }
      if (canonicalJson(value) !== line)
        problems.push(`line ${i + 1} is not written as the hall writes it (canonical JSON): the file was altered`);
      lines.push(value);
    }
    const [readme, header, checkpoint, key, ...entries] = lines;
    const section = (v: unknown, name: string, line: number): Record<string, unknown> | null => {
      if (isRecord(v) && v.section === name) return v;
      problems.push(`line ${line} is not the ${name} section: this is not an evidence bundle, or it was altered`);
      return null;
    };
    const h = section(header, 'bundle', 2) as BundleHeader | null;
    if (!h || h.format !== BUNDLE_FORMAT) {
      if (h) problems.push(`line 2: the format is not ${BUNDLE_FORMAT}`);
      return out;
    }
    out.treeSize = h.treeSize;
    out.origin = h.origin;
    out.selection = h.selection;
    const r = section(readme, 'readme', 1);
    if (r && canonicalJson(r.text) !== canonicalJson(readmeLines(h)))
      problems.push('line 1: the README is not the one the hall writes for this bundle: it was altered');

    // the key, and the checkpoint it signed
    const k = section(key, 'public-key', 4);
    const verifierKey = typeof k?.verifierKey === 'string' ? k.verifierKey : '';
    const described = this.deps.notes.describeKey(verifierKey);
    if (k && !described.ok)
      problems.push(`line 4: the public key is not a signed-note verifier key (${described.reason})`);
    if (described.ok) {
      out.keyId = described.keyId;
      if (k?.keyId !== described.keyId) problems.push('line 4: the key id does not belong to the public key');
    }
    if (input.trustedKey !== undefined && verifierKey !== input.trustedKey)
      problems.push(
        `line 4: the bundle's key ${described.ok ? described.keyId : '(unreadable)'} is not the key you gave: do not trust this bundle`,
      );
    const c = section(checkpoint, 'checkpoint', 3);
    const note = typeof c?.note === 'string' ? c.note : '';
    const check = this.deps.notes.verify(note, verifierKey ? [verifierKey] : []);
    let root: Uint8Array | null = null;
    if (c && !check.ok)
      problems.push(`line 3: the checkpoint's signature does not verify with the bundle's key: ${check.reason}`);
    if (check.ok) {
      root = check.rootHash;
      if (check.treeSize !== h.treeSize) problems.push('line 3: the checkpoint is not of the tree size line 2 states');
      if (check.origin !== h.origin) problems.push('line 3: the checkpoint is not of the log line 2 names');
    }

    // the entries, each led by its proof to the signed root
    const hash = hashFnOf(this.deps.sha256);
    if (entries.length !== h.entries)
      problems.push(
        `the bundle holds ${entries.length} entries where line 2 says ${h.entries}: entries were added or removed`,
      );
    let previous = 0;
    for (const [i, value] of entries.entries()) {
      const line = i + 5;
      const e = section(value, 'entry', line) as BundleEntry | null;
      if (!e) continue;
      out.entries++;
      const seq = e.seq;
      const at = `line ${line} (entry seq ${String(seq)})`;
      if (
        !Number.isSafeInteger(seq) ||
        seq <= previous ||
        e.leafIndex !== seq - 1 ||
        !isRecord(e.entry) ||
        e.entry.seq !== seq
      ) {
        problems.push(`${at}: its seq, leaf index or order is not consistent: the file was altered`);
        continue;
      }
      previous = seq;
      if (!Array.isArray(e.proof)) {
        problems.push(`${at}: it has no inclusion proof`);
        continue;
      }
      const proof = e.proof.map((p) => (typeof p === 'string' ? fromBase64(p) : null));
      const bad = proof.findIndex((p) => !p || p.length !== 32);
      if (bad >= 0) {
        problems.push(`${at}: hash ${bad + 1} of its inclusion proof is not 32 bytes of base64: the proof was altered`);
        continue;
      }
      if (!root) continue;
      const leaf = leafHash(hash, leafBytes(e.entry as LeafDocument));
      const reached = rootFromInclusionProof(hash, e.leafIndex, h.treeSize, leaf, proof as Uint8Array[]);
      if (!reached || !equalBytes(reached, root))
        problems.push(
          `${at}: the entry and its inclusion proof do not lead to the checkpoint's root hash: the entry or its proof was altered`,
        );
    }
    out.valid = problems.length === 0;
    return out;
  }
}
