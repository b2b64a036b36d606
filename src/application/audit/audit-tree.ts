import { leafBytes, leafDocument, type AuditLeafEntry } from '../../domain/audit/audit-leaf.js';
import { toHex } from '../../domain/audit/checkpoint.js';
import { leafHash, type HashFn } from '../../domain/audit/merkle.js';
import type { Sha256 } from '../ports/hasher.port.js';

/** The Merkle tree's hash function on the SHA-256 port. */
export function hashFnOf(sha: Sha256): HashFn {
  return (data) => sha.digest(data);
}

/** The leaf hash (hex) of a sequenced entry: SHA-256(0x00 || canonical JSON of its leaf document). */
export function leafHashHex(sha: Sha256, entry: AuditLeafEntry): string {
  return toHex(leafHash(hashFnOf(sha), leafBytes(leafDocument(entry))));
}

/** What the use cases of the audit tree read entries in: a page of this many at a time. */
export const READ_BATCH = 5000;
