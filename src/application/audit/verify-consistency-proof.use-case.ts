import { fromBase64, notesOfCheckpointFile, parseSignedNote, toBase64 } from '../../domain/audit/checkpoint.js';
import { verifyConsistency } from '../../domain/audit/merkle.js';
import type { NoteVerifier } from '../ports/audit-checkpoints.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { hashFnOf } from './audit-tree.js';

export interface ConsistencyVerification {
  /** Both checkpoints are signed by a key given, and the proof leads from the old root to the new one. */
  consistent: boolean;
  /** What is wrong, each saying which part. */
  problems: string[];
  fromSize: number | null;
  toSize: number | null;
  origin: string | null;
  /** The key ids that signed the old and the new checkpoint (null for none, or one that does not verify). */
  keyIds: { from: string | null; to: string | null };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * `hall audit verify-consistency`: checks offline (no server, no database) that a newer signed
 * checkpoint of the audit log extends an older one (RFC 9162 2.1.4.2). Both notes must be signed by
 * one of the verifier keys given, and the consistency proof must lead from the old root to the new.
 * The notes are the ones the checker kept (a file of one note, or a checkpoint file with several:
 * the one of the proof's size is taken), else those the proof document carries.
 */
export class VerifyConsistencyProofUseCase {
  constructor(private readonly deps: { sha256: Sha256; notes: NoteVerifier }) {}

  execute(input: {
    /** The proof document's text (JSON: GET /api/v1/audit-checkpoints/consistency, hall audit prove-consistency). */
    proof: string;
    /** The old checkpoint the checker kept, instead of the proof's fromCheckpoint. */
    oldNotes?: string;
    /** The new checkpoint the checker has, instead of the proof's toCheckpoint. */
    newNotes?: string;
    /** Verifier keys (<name>+<key id>+<key>) the notes must be signed by (more than one after a rotation). */
    trustedKeys: readonly string[];
  }): ConsistencyVerification {
    const problems: string[] = [];
    const out: ConsistencyVerification = {
      consistent: false,
      problems,
      fromSize: null,
      toSize: null,
      origin: null,
      keyIds: { from: null, to: null },
    };
    let doc: unknown;
    try {
      doc = JSON.parse(input.proof);
    } catch (e) {
      problems.push(`the proof is not JSON (${(e as Error).message})`);
      return out;
    }
    if (!isRecord(doc) || !isSize(doc.fromSize) || !isSize(doc.toSize) || !Array.isArray(doc.proof)) {
      problems.push('the proof is not a consistency proof document (fromSize, toSize, proof)');
      return out;
    }
    const { fromSize: m, toSize: n } = doc;
    out.fromSize = m;
    out.toSize = n;
    if (m > n) problems.push(`the proof is from ${m} entries to fewer, ${n}`);
    const hashes = doc.proof.map((p) => (typeof p === 'string' ? fromBase64(p) : null));
    const bad = hashes.findIndex((p) => !p || p.length !== 32);
    if (bad >= 0) problems.push(`hash ${bad + 1} of the proof is not 32 bytes of base64: the proof was altered`);
    if (!input.trustedKeys.length) problems.push('no verifier key given: the checkpoints cannot be trusted');

    const h = hashFnOf(this.deps.sha256);
    const check = (which: 'old' | 'new', kept: string | undefined, carried: unknown, size: number) => {
      const notes = kept === undefined ? (typeof carried === 'string' ? [carried] : []) : notesOfCheckpointFile(kept);
      const from = kept === undefined ? 'the proof' : `the ${which} checkpoint file`;
      if (!notes.length) {
        problems.push(`there is no ${which} checkpoint (${from} carries none)`);
        return null;
      }
      const note =
        notes.length === 1
          ? notes[0]!
          : notes.findLast((t) => {
              const p = parseSignedNote(t);
              return p.ok && p.checkpoint.treeSize === size;
            });
      if (note === undefined) {
        problems.push(`${from} holds no checkpoint of ${size} entries`);
        return null;
      }
      const r = this.deps.notes.verify(note, input.trustedKeys);
      if (!r.ok) {
        problems.push(`the ${which} checkpoint's signature does not verify with the key(s) given: ${r.reason}`);
        return null;
      }
      if (r.treeSize !== size)
        problems.push(`the ${which} checkpoint is of ${r.treeSize} entries, the proof is for ${size}`);
      return r;
    };
    const emptyTree = m === 0 && input.oldNotes === undefined && doc.fromCheckpoint === null;
    const older = emptyTree ? null : check('old', input.oldNotes, doc.fromCheckpoint, m);
    const newer = check('new', input.newNotes, doc.toCheckpoint, n);
    out.keyIds = { from: older?.keyId ?? null, to: newer?.keyId ?? null };
    out.origin = newer?.origin ?? older?.origin ?? null;
    if (older && newer && older.origin !== newer.origin)
      problems.push(`the checkpoints are of two logs: '${older.origin}' and '${newer.origin}'`);
    const oldRoot = emptyTree ? h(new Uint8Array()) : older?.rootHash;
    const newRoot = newer?.rootHash;
    // the roots the document states, if it states them, are those of the checkpoints
    if (oldRoot && doc.fromRoot !== undefined && doc.fromRoot !== toBase64(oldRoot))
      problems.push("the proof's fromRoot is not the old checkpoint's root hash: the proof was altered");
    if (newRoot && doc.toRoot !== undefined && doc.toRoot !== toBase64(newRoot))
      problems.push("the proof's toRoot is not the new checkpoint's root hash: the proof was altered");
    if (oldRoot && newRoot && bad < 0 && m <= n) {
      if (!verifyConsistency(h, m, n, oldRoot, newRoot, hashes as Uint8Array[]))
        problems.push(
          `the consistency proof does not lead from the root of ${m} entries to the root of ${n}: the log was rewritten between the checkpoints, or the proof was altered`,
        );
    }
    out.consistent = problems.length === 0;
    return out;
  }
}
