import type { Knex } from 'knex';
import type { PrintoutChange, PrintoutRecord, PrintoutStore } from '../../../application/ports/printout-store.port.js';
import { parsePrintoutContent, type PrintoutContent } from '../../../domain/printout/printout.js';
import { ChangeJournal } from './change-journal.js';

interface Row {
  code: string;
  application_id: string;
  content: unknown;
  signature: string;
  key_id: string;
  history_seq: number;
  issued_at: Date;
  issued_by: string;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

function toRecord(r: Row): PrintoutRecord {
  const content: PrintoutContent | null = parsePrintoutContent(r.content);
  if (!content) throw new Error(`printout ${r.code}: the stored content is not a printout`);
  return {
    code: r.code,
    applicationId: r.application_id,
    content,
    signature: r.signature,
    keyId: r.key_id,
    historySeq: r.history_seq,
    issuedAt: r.issued_at,
    issuedBy: r.issued_by,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  };
}

/**
 * The `printouts` table. A write is one transaction: the row and its audit entry and outbox event
 * (the same columns as every other change, through the ChangeJournal). Given a transaction instead
 * of a Knex, it works inside it (a savepoint).
 */
export class KnexPrintoutStore implements PrintoutStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async findByCode(code: string): Promise<PrintoutRecord | null> {
    const r = (await this.db<Row>('printouts').where({ code }).first()) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  async add(p: PrintoutRecord, change: PrintoutChange): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const inserted = await trx('printouts')
        .insert({
          code: p.code,
          application_id: p.applicationId,
          content: JSON.stringify(p.content),
          signature: p.signature,
          key_id: p.keyId,
          history_seq: p.historySeq,
          issued_at: p.issuedAt,
          issued_by: p.issuedBy,
          revoked_at: p.revokedAt,
          revoked_reason: p.revokedReason,
        })
        .onConflict('code')
        .ignore()
        .returning('code');
      if (!inserted.length) return false;
      await journal(trx, p.code, change);
      return true;
    });
  }

  async revoke(
    code: string,
    revocation: { at: Date; reason: string },
    change: PrintoutChange,
  ): Promise<PrintoutRecord | null> {
    return this.db.transaction(async (trx) => {
      const [revoked] = (await trx<Row>('printouts')
        .where({ code })
        .whereNull('revoked_at')
        .update({ revoked_at: revocation.at, revoked_reason: revocation.reason })
        .returning('*')) as Row[];
      if (revoked) {
        await journal(trx, code, change);
        return toRecord(revoked);
      }
      const r = (await trx<Row>('printouts').where({ code }).first()) as Row | undefined;
      return r ? toRecord(r) : null;
    });
  }
}

async function journal(trx: Knex.Transaction, code: string, c: PrintoutChange): Promise<void> {
  const j = new ChangeJournal();
  await j.audit.record({
    actorId: c.actorId,
    action: c.action,
    entityType: 'printout',
    entityId: code,
    unit: c.unit,
    before: null,
    after: c.after,
    requestId: c.requestId,
    at: c.at,
  });
  await j.outbox.enqueue({
    topic: c.action,
    aggregateType: 'printout',
    aggregateId: code,
    at: c.at,
    payload: { actor: c.actorId, ...c.event },
  });
  await j.flush(trx);
}
