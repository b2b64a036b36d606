import { leafBytes, leafDocument, type AuditLeafEntry } from '../../domain/audit/audit-leaf.js';
import { fromHex, toHex } from '../../domain/audit/checkpoint.js';
import { leafHash, type FrontierNode, type HashFn } from '../../domain/audit/merkle.js';
import type { ArchiveRecord, AuditLedger, FrontierHex } from '../ports/audit-ledger.port.js';
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

/** A frontier as stored (hex) made bytes again; null when a hash is not 32 bytes of hex. */
export function frontierOf(nodes: readonly FrontierHex[]): FrontierNode[] | null {
  const out: FrontierNode[] = [];
  for (const n of nodes) {
    const hash = fromHex(n.hash);
    if (!hash || hash.length !== 32) return null;
    out.push({ size: n.size, hash });
  }
  return out;
}

export function frontierHex(nodes: readonly FrontierNode[]): FrontierHex[] {
  return nodes.map((n) => ({ size: n.size, hash: toHex(n.hash) }));
}

/**
 * Where the tree in the database starts: after the months archived, whose leaves are gone and whose
 * frontier (at the last archived seq) stands for them. `size` 0 and an empty frontier when none was.
 */
export async function archivedPrefix(
  ledger: AuditLedger,
): Promise<{ size: number; frontier: FrontierNode[]; lastHash: string | null; archives: ArchiveRecord[] }> {
  const archives = await ledger.archives();
  const last = archives[archives.length - 1];
  if (!last) return { size: 0, frontier: [], lastHash: null, archives };
  const frontier = frontierOf(last.frontier);
  if (!frontier || frontier.reduce((n, f) => n + f.size, 0) !== last.lastSeq)
    throw new Error(`the frontier recorded with the archive of ${last.month} is not one of ${last.lastSeq} leaves`);
  return { size: last.lastSeq, frontier, lastHash: last.lastHash, archives };
}
