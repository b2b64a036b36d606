import { leafBytes, leafDocument, type AuditLeafEntry, type LeafDocument } from '../../domain/audit/audit-leaf.js';
import { canonicalJson } from '../../domain/audit/canonical-json.js';
import { fromBase64, toBase64 } from '../../domain/audit/checkpoint.js';
import { equalBytes, leafHash, TreeBuilder, type FrontierNode } from '../../domain/audit/merkle.js';
import type { NoteVerifier } from '../ports/audit-checkpoints.port.js';
import type { Sha256 } from '../ports/hasher.port.js';
import { hashFnOf } from './audit-tree.js';

/**
 * The archive of a month of the audit log (`hall audit archive`): one text file of JSON lines, each
 * written as canonical JSON (RFC 8785), like the evidence bundle:
 *
 *   1. {"section":"archive", …}           format, log, month, seq range, entries, tree size, when and by whom
 *   2. {"section":"checkpoint", …}        the signed checkpoint (tree size ≥ the last seq) it is proven against
 *   3. {"section":"public-key", …}        the key that signed it
 *   4. {"section":"frontier-before", …}   the tree's frontier before the first seq (roots of its perfect subtrees)
 *   5… {"section":"entry", …}             every entry of seq firstSeq..lastSeq, in order: its leaf document
 *   n-1 {"section":"frontier", …}         the frontier at the last seq: where the tree in the database goes on from
 *   n  {"section":"completion", …}        roots of the aligned subtrees of seq lastSeq+1..treeSize
 *
 * The frontier before, the entries' leaves and the completion make the tree of the checkpoint's size:
 * its root must be the signed one. So the file proves (given the key) that its entries are exactly
 * the log's leaves firstSeq..lastSeq, unchanged, and that the stored frontier is the tree's at lastSeq.
 */
export const ARCHIVE_FORMAT = 'service-hall/audit-archive/v1';

export interface ArchiveHeader {
  section: 'archive';
  format: string;
  origin: string;
  month: string;
  firstSeq: number;
  lastSeq: number;
  entries: number;
  treeSize: number;
  archivedAt: string;
  archivedBy: string;
}

interface NodeJson {
  size: number;
  hash: string;
}
interface PlacedNodeJson extends NodeJson {
  start: number;
}

const nodesJson = (nodes: readonly FrontierNode[]): NodeJson[] =>
  nodes.map((n) => ({ size: n.size, hash: toBase64(n.hash) }));

export function archiveText(parts: {
  header: ArchiveHeader;
  note: string;
  verifierKey: string;
  keyId: string;
  before: readonly FrontierNode[];
  entries: ReadonlyArray<AuditLeafEntry & { seq: number }>;
  frontier: readonly FrontierNode[];
  completion: ReadonlyArray<FrontierNode & { start: number }>;
}): string {
  const lines: unknown[] = [
    parts.header,
    { section: 'checkpoint', note: parts.note },
    { section: 'public-key', verifierKey: parts.verifierKey, keyId: parts.keyId },
    { section: 'frontier-before', nodes: nodesJson(parts.before) },
    ...parts.entries.map((e) => ({ section: 'entry', seq: e.seq, entry: leafDocument(e) })),
    { section: 'frontier', nodes: nodesJson(parts.frontier) },
    {
      section: 'completion',
      nodes: parts.completion.map((n) => ({ start: n.start, size: n.size, hash: toBase64(n.hash) })),
    },
  ];
  return lines.map((l) => `${canonicalJson(l)}\n`).join('');
}

export interface ArchiveVerification {
  valid: boolean;
  problems: string[];
  month: string | null;
  firstSeq: number | null;
  lastSeq: number | null;
  entries: number;
  treeSize: number | null;
  keyId: string | null;
  /** The frontier at the last seq (base64), as the file states it. */
  frontier: NodeJson[] | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `hall audit verify-archive`: checks an archive file offline (no server, no database): canonical
 * lines, the checkpoint's signature by the file's key (and that key is the pinned one, when given),
 * the entries in seq order without a gap, and that the frontier before, the entries' leaves (each
 * recomputed from its document) and the completion make the signed root, passing through the
 * frontier the file states at the last seq.
 */
export class VerifyArchiveFileUseCase {
  constructor(private readonly deps: { sha256: Sha256; notes: NoteVerifier }) {}

  execute(input: { text: string; trustedKey?: string }): ArchiveVerification {
    const problems: string[] = [];
    const out: ArchiveVerification = {
      valid: false,
      problems,
      month: null,
      firstSeq: null,
      lastSeq: null,
      entries: 0,
      treeSize: null,
      keyId: null,
      frontier: null,
    };
    if (!input.text.endsWith('\n')) problems.push('the file does not end with a newline: it was cut or altered');
    const raw = input.text.split('\n');
    if (raw[raw.length - 1] === '') raw.pop();
    const lines: unknown[] = [];
    for (const [i, line] of raw.entries()) {
      try {
        const value: unknown = JSON.parse(line);
        if (canonicalJson(value) !== line)
          problems.push(`line ${i + 1} is not written as the hall writes it (canonical JSON): the file was altered`);
        lines.push(value);
      } catch (e) {
        problems.push(`line ${i + 1} is not JSON (${(e as Error).message}): the file was altered`);
        lines.push(undefined);
      }
    }
    const section = (v: unknown, name: string, line: number): Record<string, unknown> | null => {
      if (isRecord(v) && v.section === name) return v;
      problems.push(`line ${line} is not the ${name} section: this is not an archive file, or it was altered`);
      return null;
    };
    const h = section(lines[0], 'archive', 1) as ArchiveHeader | null;
    if (!h || h.format !== ARCHIVE_FORMAT) {
      if (h) problems.push(`line 1: the format is not ${ARCHIVE_FORMAT}`);
      return out;
    }
    Object.assign(out, { month: h.month, firstSeq: h.firstSeq, lastSeq: h.lastSeq, treeSize: h.treeSize });
    if (
      ![h.firstSeq, h.lastSeq, h.treeSize, h.entries].every((n) => Number.isSafeInteger(n)) ||
      h.firstSeq < 1 ||
      h.lastSeq < h.firstSeq - 1 ||
      h.treeSize < h.lastSeq ||
      h.entries !== h.lastSeq - h.firstSeq + 1
    ) {
      problems.push('line 1: the seq range, entry count and tree size are not consistent');
      return out;
    }

    const k = section(lines[2], 'public-key', 3);
    const verifierKey = typeof k?.verifierKey === 'string' ? k.verifierKey : '';
    const described = this.deps.notes.describeKey(verifierKey);
    if (k && !described.ok)
      problems.push(`line 3: the public key is not a signed-note verifier key (${described.reason})`);
    if (described.ok) {
      out.keyId = described.keyId;
      if (k?.keyId !== described.keyId) problems.push('line 3: the key id does not belong to the public key');
    }
    if (input.trustedKey !== undefined && verifierKey !== input.trustedKey)
      problems.push(
        `line 3: the file's key ${described.ok ? described.keyId : '(unreadable)'} is not the key you gave: do not trust this archive`,
      );
    const c = section(lines[1], 'checkpoint', 2);
    const check = this.deps.notes.verify(typeof c?.note === 'string' ? c.note : '', verifierKey ? [verifierKey] : []);
    if (c && !check.ok)
      problems.push(`line 2: the checkpoint's signature does not verify with the file's key: ${check.reason}`);
    if (check.ok) {
      if (check.treeSize !== h.treeSize) problems.push('line 2: the checkpoint is not of the tree size line 1 states');
      if (check.origin !== h.origin) problems.push('line 2: the checkpoint is not of the log line 1 names');
    }

    const nodes = (v: Record<string, unknown> | null, line: number): Array<NodeJson & { start?: number }> | null => {
      if (!v || !Array.isArray(v.nodes)) return null;
      const list = v.nodes as Array<Record<string, unknown>>;
      for (const n of list)
        if (
          !isRecord(n) ||
          typeof n.hash !== 'string' ||
          fromBase64(n.hash)?.length !== 32 ||
          !Number.isSafeInteger(n.size)
        ) {
          problems.push(`line ${line}: a subtree root is not a size and 32 bytes of base64: the file was altered`);
          return null;
        }
      return list as unknown as Array<NodeJson & { start?: number }>;
    };
    const hash = hashFnOf(this.deps.sha256);
    const before = nodes(section(lines[3], 'frontier-before', 4), 4);
    const entryLines = lines.slice(4, lines.length - 2);
    const frontierLine = lines.length - 1;
    const after = nodes(section(lines[lines.length - 2], 'frontier', frontierLine), frontierLine);
    const completion = nodes(section(lines[lines.length - 1], 'completion', lines.length), lines.length) as
      PlacedNodeJson[] | null;
    out.frontier = after;
    if (!before || !after || !completion) return out;
    let tree: TreeBuilder;
    try {
      tree = TreeBuilder.fromFrontier(
        hash,
        before.map((n) => ({ size: n.size, hash: fromBase64(n.hash)! })),
      );
    } catch {
      problems.push('line 4: the frontier before is not the frontier of a tree');
      return out;
    }
    if (tree.size !== h.firstSeq - 1) problems.push(`line 4: the frontier before is not of ${h.firstSeq - 1} leaves`);

    if (entryLines.length !== h.entries)
      problems.push(
        `the file holds ${entryLines.length} entries where line 1 says ${h.entries}: entries were added or removed`,
      );
    for (const [i, value] of entryLines.entries()) {
      const line = i + 5;
      const e = section(value, 'entry', line);
      if (!e) continue;
      out.entries++;
      const seq = e.seq;
      if (seq !== h.firstSeq + i || !isRecord(e.entry) || e.entry.seq !== seq) {
        problems.push(
          `line ${line} (entry seq ${String(seq)}): not the next seq (${h.firstSeq + i}): the file was altered`,
        );
        return out;
      }
      tree.push(leafHash(hash, leafBytes(e.entry as unknown as LeafDocument)));
    }
    const at = tree.frontier();
    if (
      at.length !== after.length ||
      at.some((n, i) => n.size !== after[i]!.size || !equalBytes(n.hash, fromBase64(after[i]!.hash)!))
    )
      problems.push(
        `line ${frontierLine}: the entries do not make the frontier stated at seq ${h.lastSeq}: an entry was altered`,
      );
    try {
      for (const n of completion) {
        if (n.start !== tree.size) throw new RangeError('out of place');
        tree.pushSubtree(fromBase64(n.hash)!, n.size);
      }
    } catch {
      problems.push(`line ${lines.length}: the completion is not of subtrees following seq ${h.lastSeq}`);
      return out;
    }
    if (tree.size !== h.treeSize)
      problems.push(`line ${lines.length}: the completion does not reach the checkpoint's ${h.treeSize} entries`);
    else if (check.ok && !equalBytes(tree.root(), check.rootHash))
      problems.push(
        "the entries, with the frontier before and the completion, do not make the checkpoint's root hash: an entry or a subtree root was altered",
      );
    out.valid = problems.length === 0;
    return out;
  }
}
