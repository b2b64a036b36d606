import type { PolicyEnforcer } from '../../../../src/application/ports/policy-enforcer.port.js';
import { NodeSha256 } from '../../../../src/adapters/driven/audit/node-sha256.js';
import { Ed25519NoteVerifier } from '../../../../src/adapters/driven/audit/ed25519-checkpoint-keys.js';
import { SequenceAuditLogUseCase } from '../../../../src/application/audit/sequence-audit-log.use-case.js';
import { AuditCheckpointsUseCase } from '../../../../src/application/audit/audit-checkpoints.use-case.js';
import {
  InMemoryAuditCheckpoints,
  InMemoryAuditLedger,
  InMemoryCheckpointKeys,
  InMemoryCheckpointSink,
} from '../../../fakes/in-memory-audit-ledger.js';
import { FakeClock } from '../../../fakes/fake-clock.js';

/** T0003 (auditor) reads and exports the audit log; T0002 (IT Office) too; nobody else. */
export const enforcer = {
  can: async (r: { subject: string; unit: string; object: string; action: string }) =>
    ['T0003', 'T0002'].includes(r.subject) && r.unit === '*' && r.object === 'audit',
} as unknown as PolicyEnforcer;

export const auditor = { personId: 'T0003', requestId: 'r-audit' };
export const stranger = { personId: 'T0301', requestId: 'r-other' };

/** The audit ports in memory (SHA-256 and Ed25519 are the real ones: pure functions), and the use cases on them. */
export function auditHall() {
  const ledger = new InMemoryAuditLedger();
  const checkpoints = new InMemoryAuditCheckpoints();
  const keys = new InMemoryCheckpointKeys();
  const sink = new InMemoryCheckpointSink();
  const sha256 = new NodeSha256();
  const notes = new Ed25519NoteVerifier();
  const clock = new FakeClock('2026-11-30T02:00:00Z');
  const sequencer = new SequenceAuditLogUseCase({ ledger, sha256 }, 4);
  const published = new AuditCheckpointsUseCase({
    ledger,
    checkpoints,
    keys,
    sink,
    sha256,
    clock,
    enforcer,
    sequencer,
  });
  const write = (n: number, o: { actor?: (i: number) => string; entity?: (i: number) => [string, string] } = {}) => {
    const base = ledger.rows.length;
    for (let i = 0; i < n; i++) {
      const [entityType, entityId] = o.entity?.(base + i) ?? ['person', `T09${base + i}`];
      ledger.write({
        at: new Date(Date.UTC(2026, 10, 20, 8, base + i)),
        actorId: o.actor?.(base + i) ?? 'T0002',
        action: 'role.granted',
        entityType,
        entityId,
        unit: 'finance',
        before: null,
        after: { n: base + i },
        requestId: `req-${base + i}`,
      });
    }
  };
  return { ledger, checkpoints, keys, sink, sha256, notes, clock, sequencer, checkpointsUseCase: published, write };
}
