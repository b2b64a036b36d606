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
  seq: number;
  id: string;
}

/** Bound to the unit of work's transaction: an entry commits with the change it records. */
export interface AuditLog {
  record(entry: AuditEntryInput): Promise<void>;
}

/** Read side, for auditors and tests. */
export interface AuditTrail {
  /** Entries oldest first (keyset on seq), optionally of one entity type and/or entity id. */
  list(options: { entityType?: string; entityId?: string; limit: number; cursor?: string }): Promise<Page<AuditEntry>>;
}
