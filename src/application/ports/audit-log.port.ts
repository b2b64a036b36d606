import type { Page } from './service-item.repository.port.js';

export interface AuditEntryInput {
  actorId: string;
  /** Past-tense dotted verb: 'service-item.approved'. */
  action: string;
  entityType: string;
  entityId: string;
  unit?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  at: Date;
}

export interface AuditEntry extends AuditEntryInput {
  /** Its place in the Merkle tree log (1, 2, 3, …); null until the sequencer has given it one. */
  seq: number | null;
  id: string;
}

/** What GET /audit-entries filters on; every filter is optional. */
export interface AuditFilters {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** occurred_at >= from */
  from?: Date;
  /** occurred_at < to */
  to?: Date;
}

/** Bound to the unit of work's transaction: an entry commits with the change it records. */
export interface AuditLog {
  record(entry: AuditEntryInput): Promise<void>;
}

/** Read side, for auditors and tests. */
export interface AuditTrail {
  /**
   * Entries newest first (as written), within the filters, a page at a time. The cursor is opaque
   * and bound to the filters: one that was altered, or issued for other filters, is an InputError
   * naming `cursor`.
   */
  list(options: AuditFilters & { limit: number; cursor?: string }): Promise<Page<AuditEntry>>;
}
