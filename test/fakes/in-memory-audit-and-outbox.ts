import type { AuditEntryInput, AuditLog } from '../../src/application/ports/audit-log.port.js';
import type { Outbox, OutboxEvent } from '../../src/application/ports/outbox.port.js';
import type { HallState } from './in-memory-database.js';

/** Audit entries in the transaction: numbered in commit order, gone with a rollback. */
export class InMemoryAuditLog implements AuditLog {
  constructor(private readonly state: HallState) {}

  async record(entry: AuditEntryInput): Promise<void> {
    this.state.audit.push({ ...structuredClone(entry), seq: this.state.audit.length + 1, id: globalThis.crypto.randomUUID() });
  }
}

/** Events published only if their change commits. */
export class InMemoryOutbox implements Outbox {
  constructor(private readonly state: HallState) {}

  async enqueue(event: OutboxEvent): Promise<void> {
    this.state.outbox.push(structuredClone(event));
  }
}
