import type { AuditEntryInput, AuditLog } from '../../src/application/ports/audit-log.port.js';
import type { Outbox, OutboxEvent } from '../../src/application/ports/outbox.port.js';
import type { OutboxSinkAdmin } from '../../src/application/ports/outbox-relay.port.js';
import type { HallState } from './in-memory-database.js';

/** Audit entries in the transaction: numbered in commit order, gone with a rollback; what is left out is stored as null, as the audit_log columns hold it. */
export class InMemoryAuditLog implements AuditLog {
  constructor(private readonly state: HallState) {}

  async record(entry: AuditEntryInput): Promise<void> {
    const e = structuredClone(entry);
    this.state.audit.push({
      ...e,
      unit: e.unit ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      requestId: e.requestId ?? null,
      seq: this.state.audit.length + 1,
      id: globalThis.crypto.randomUUID(),
    });
  }
}

/**
 * The relay's bookkeeping as an operator changes it: records each change (in the transaction's
 * working state) and answers how many events it concerns, as a test sets them.
 */
export class InMemoryOutboxSinkAdmin implements OutboxSinkAdmin {
  constructor(private readonly state: HallState) {}

  async requestRetry(sink: string | null, at: Date): Promise<number> {
    this.state.outboxSinkChanges.push({ kind: 'retry', sink, at });
    return 1;
  }

  async rewind(sink: string, since: Date): Promise<number> {
    this.state.outboxSinkChanges.push({ kind: 'rewind', sink, since });
    return this.state.outbox.filter((e) => e.at >= since).length;
  }
}

/** Events published only if their change commits. */
export class InMemoryOutbox implements Outbox {
  constructor(private readonly state: HallState) {}

  async enqueue(event: OutboxEvent): Promise<void> {
    this.state.outbox.push(structuredClone(event));
  }
}
