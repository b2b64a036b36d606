import type { PrintoutContent } from '../../domain/printout/printout.js';
import type { PrintoutSigner } from './printout.port.js';

/** One issued printout (办事凭证), kept under its verification code. */
export interface PrintoutRecord {
  /** The normalised verification code. */
  code: string;
  applicationId: string;
  /** Exactly what was signed (its canonical bytes). */
  content: PrintoutContent;
  /** base64url */
  signature: string;
  keyId: string;
  /** The application's last history entry when the printout was issued: later entries may revoke it. */
  historySeq: number;
  issuedAt: Date;
  issuedBy: string;
  revokedAt: Date | null;
  /** A RevocationReason (see src/application/printouts/printout-content.ts); null while valid. */
  revokedReason: string | null;
}

/** The audit entry and outbox event written in the same transaction as a printout change. */
export interface PrintoutChange {
  /** 'printout.issued': the audit action and the outbox topic. */
  action: string;
  actorId: string;
  requestId: string | null;
  /** The owning unit of the application. */
  unit: string | null;
  at: Date;
  after: unknown;
  event: Record<string, unknown>;
}

/**
 * The printouts table. It is not part of the unit of work's scope: each write is one transaction
 * of its own holding the row, its audit entry and its outbox event (as KnexCalendarStore does).
 */
export interface PrintoutStore {
  findByCode(code: string): Promise<PrintoutRecord | null>;
  /** False, with nothing written, when the code is taken already. */
  add(printout: PrintoutRecord, change: PrintoutChange): Promise<boolean>;
  /**
   * Marks the printout revoked unless it is already: the first revocation stays (idempotent), and
   * only the call that revoked writes its change. Returns the stored printout, null when unknown.
   */
  revoke(
    code: string,
    revocation: { at: Date; reason: string },
    change: PrintoutChange,
  ): Promise<PrintoutRecord | null>;
}

/**
 * The signing key, loaded (or generated, for the embedded default) on first use and then kept:
 * once per container, and no key file is touched by a process that never signs or publishes.
 */
export type PrintoutSignerSource = () => Promise<PrintoutSigner>;
