import { canonicalJson } from './canonical-json.js';

/** What an audit entry is, as its leaf in the Merkle tree covers it. */
export interface AuditLeafEntry {
  seq: number;
  id: string;
  at: Date;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  unit?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/** The document a leaf hashes: every field of the entry, its place (seq) and its time as ISO 8601. */
export interface LeafDocument {
  seq: number;
  id: string;
  occurred_at: string;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  unit: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export function leafDocument(e: AuditLeafEntry): LeafDocument {
  return {
    seq: e.seq,
    id: e.id,
    occurred_at: e.at.toISOString(),
    actor_id: e.actorId,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    unit: e.unit ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    request_id: e.requestId ?? null,
  };
}

/** The bytes of a leaf: the UTF-8 of the canonical JSON of its document. */
export function leafBytes(doc: LeafDocument): Uint8Array {
  return new TextEncoder().encode(canonicalJson(doc));
}
