import { createHmac } from 'node:crypto';
import type {
  PrintoutRenderInput,
  PrintoutRenderer,
  PrintoutSigner,
} from '../../src/application/ports/printout.port.js';
import type { PrintoutChange, PrintoutRecord, PrintoutStore } from '../../src/application/ports/printout-store.port.js';
import type { HallState, InMemoryDatabase } from './in-memory-database.js';

/** The audit entry and outbox event KnexPrintoutStore writes with each change (ChangeJournal). */
function journal(s: HallState, code: string, c: PrintoutChange): void {
  s.audit.push({
    seq: s.audit.length + 1,
    id: globalThis.crypto.randomUUID(),
    actorId: c.actorId,
    action: c.action,
    entityType: 'printout',
    entityId: code,
    unit: c.unit,
    before: null,
    after: structuredClone(c.after),
    requestId: c.requestId,
    at: c.at,
  });
  s.outbox.push({
    topic: c.action,
    aggregateType: 'printout',
    aggregateId: code,
    at: c.at,
    payload: { actor: c.actorId, ...structuredClone(c.event) },
  });
}

/** The printouts table; each write is its own transaction with its audit entry and outbox event. */
export class InMemoryPrintoutStore implements PrintoutStore {
  /** Codes reported as taken, to exercise the retry of a clashing code. */
  readonly taken = new Set<string>();
  refuseAll = false;

  constructor(private readonly db: InMemoryDatabase) {}

  async findByCode(code: string): Promise<PrintoutRecord | null> {
    return this.db.read('the printouts', (s) => s.printouts.get(code) ?? null);
  }

  add(printout: PrintoutRecord, change: PrintoutChange): Promise<boolean> {
    return this.db.autocommit((s) => {
      if (this.refuseAll || this.taken.has(printout.code) || s.printouts.has(printout.code)) return false;
      s.printouts.set(printout.code, structuredClone(printout));
      journal(s, printout.code, change);
      return true;
    });
  }

  revoke(
    code: string,
    revocation: { at: Date; reason: string },
    change: PrintoutChange,
  ): Promise<PrintoutRecord | null> {
    return this.db.autocommit((s) => {
      const p = s.printouts.get(code);
      if (!p) return null;
      if (!p.revokedAt) {
        p.revokedAt = revocation.at;
        p.revokedReason = revocation.reason;
        journal(s, code, change);
      }
      return structuredClone(p);
    });
  }
}

/** Signs with an HMAC instead of Ed25519: the use case only needs sign/verify and a key id. */
export class FakePrintoutSigner implements PrintoutSigner {
  readonly publicKeyPem = '-----BEGIN PUBLIC KEY-----\nfake\n-----END PUBLIC KEY-----\n';
  constructor(
    readonly keyId = 'TESTKEY1',
    private readonly secret = 'unit-test-key',
  ) {}

  sign(data: Uint8Array): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }

  verify(data: Uint8Array, signature: string): boolean {
    return this.sign(data) === signature;
  }
}

/** Renders the input as JSON bytes, and keeps what it rendered. */
export class FakePrintoutRenderer implements PrintoutRenderer {
  readonly contentType = 'application/pdf';
  readonly rendered: PrintoutRenderInput[] = [];

  async render(input: PrintoutRenderInput): Promise<Buffer> {
    this.rendered.push(structuredClone(input));
    return Buffer.from(JSON.stringify(input));
  }
}
