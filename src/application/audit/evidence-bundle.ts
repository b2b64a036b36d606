import { leafDocument, type AuditLeafEntry, type LeafDocument } from '../../domain/audit/audit-leaf.js';
import { canonicalJson } from '../../domain/audit/canonical-json.js';
import type { EvidenceSelection } from '../ports/audit-ledger.port.js';

/**
 * The evidence bundle (取证包): one text file of JSON lines, each line one section, each written as
 * canonical JSON (RFC 8785), so the file is exactly one spelling of its content and any changed
 * byte shows:
 *
 *   1. {"section":"readme", …}        what this is and how to check it (text lines)
 *   2. {"section":"bundle", …}        the format, when and about what it was exported
 *   3. {"section":"checkpoint", …}    the signed checkpoint (C2SP tlog-checkpoint note) the proofs lead to
 *   4. {"section":"public-key", …}    the key that signed it: its signed-note verifier key and key id
 *   5… {"section":"entry", …}         one audit entry each: its leaf document and its inclusion proof
 */
export const BUNDLE_FORMAT = 'service-hall/audit-evidence/v1';
export const BUNDLE_MEDIA_TYPE = 'application/x-ndjson';

export interface BundleSelection {
  personId: string | null;
  applicationId: string | null;
  from: string | null;
  to: string | null;
}

export interface BundleHeader {
  section: 'bundle';
  format: string;
  origin: string;
  exportedAt: string;
  exportedBy: string;
  selection: BundleSelection;
  treeSize: number;
  entries: number;
}

export interface BundleEntry {
  section: 'entry';
  seq: number;
  leafIndex: number;
  entry: LeafDocument;
  /** The audit path (RFC 9162 2.1.3.1) to the checkpoint's tree, nearest the leaf first, base64. */
  proof: string[];
}

export function selectionOf(s: EvidenceSelection): BundleSelection {
  return {
    personId: s.personId ?? null,
    applicationId: s.applicationId ?? null,
    from: s.from ? s.from.toISOString() : null,
    to: s.to ? s.to.toISOString() : null,
  };
}

/** The README section's text: the same for the same header, so the verifier checks it too. */
export function readmeLines(h: BundleHeader): string[] {
  const about = [
    h.selection.personId && `entries by or about person ${h.selection.personId}`,
    h.selection.applicationId && `entries about application ${h.selection.applicationId}`,
    h.selection.from && `from ${h.selection.from}`,
    h.selection.to && `before ${h.selection.to}`,
  ].filter(Boolean);
  return [
    'Service Hall audit evidence bundle (取证包)',
    '',
    `Exported ${h.exportedAt} by ${h.exportedBy} from the audit log ${h.origin}: ${h.entries} audit entries (${about.join(', ')}).`,
    '',
    'Each line of this file is one JSON document. The lines with "section":"entry" are the audit entries,',
    'each with its inclusion proof: the audit path (RFC 9162) from the entry to the root hash of the audit',
    `log's Merkle tree of ${h.treeSize} entries, which the "checkpoint" line states in a signed note`,
    '(C2SP tlog-checkpoint, Ed25519). The "public-key" line holds the key that signed it; compare its key id',
    'with the one the hall publishes before trusting it.',
    '',
    'An entry\'s leaf hash is SHA-256(0x00 || canonical JSON (RFC 8785) of its "entry" document); tree nodes',
    'are SHA-256(0x01 || left || right). Any entry changed, added, removed or reordered no longer leads to',
    'the signed root. Every line is written in canonical JSON, so any changed byte is detected.',
    '',
    'Check it offline, with no server and no database:  hall audit verify-bundle <this file>',
    '  (--public-key <verifier key> to pin the key the hall publishes)',
  ];
}

/** The bundle's text: one canonical JSON document per line. */
export function bundleText(parts: {
  header: BundleHeader;
  note: string;
  verifierKey: string;
  keyId: string;
  entries: BundleEntry[];
}): string {
  const lines: unknown[] = [
    { section: 'readme', text: readmeLines(parts.header) },
    parts.header,
    { section: 'checkpoint', note: parts.note },
    { section: 'public-key', verifierKey: parts.verifierKey, keyId: parts.keyId },
    ...parts.entries,
  ];
  return lines.map((l) => `${canonicalJson(l)}\n`).join('');
}

export function bundleEntry(e: AuditLeafEntry & { seq: number }, proof: string[]): BundleEntry {
  return { section: 'entry', seq: e.seq, leafIndex: e.seq - 1, entry: leafDocument(e), proof };
}
