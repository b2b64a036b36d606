import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditEntry, AuditFilters, AuditTrail } from '../../../application/ports/audit-log.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { InputError } from '../../../domain/shared/errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { entryOf } from './knex-audit-ledger.js';

const badCursor = () =>
  new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { path: '/cursor', message: 'not a cursor issued by this API for these filters', in: 'query' },
  ]);

/** What a cursor is bound to: the filters of the list it pages. */
function fingerprint(f: AuditFilters): string {
  const key = JSON.stringify([
    f.entityType ?? null,
    f.entityId ?? null,
    f.actorId ?? null,
    f.action ?? null,
    f.from?.toISOString() ?? null,
    f.to?.toISOString() ?? null,
  ]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 12);
}

/**
 * Pages newest first on pos (the insertion number) before the cursor, within the filters:
 * audit_log_by_entity (entity_type, entity_id, pos), audit_log_by_type (entity_type, pos),
 * audit_log_by_actor (actor_id, pos), audit_log_by_action (action, pos) or the primary key, read
 * backwards, serve each filter in order, so a page reads a page of entries however long the log.
 * The cursor carries the last pos and the filters' fingerprint: one altered, or used with other
 * filters, is refused naming `cursor`.
 */
export class KnexAuditTrail implements AuditTrail {
  constructor(private readonly db: Knex) {}

  async list(o: AuditFilters & { limit: number; cursor?: string }): Promise<Page<AuditEntry>> {
    const q = this.db('audit_log')
      .orderBy('pos', 'desc')
      .limit(o.limit + 1);
    if (o.entityType) q.where('entity_type', o.entityType);
    if (o.entityId) q.where('entity_id', o.entityId);
    if (o.actorId) q.where('actor_id', o.actorId);
    if (o.action) q.where('action', o.action);
    if (o.from) q.where('occurred_at', '>=', o.from);
    if (o.to) q.where('occurred_at', '<', o.to);
    const print = fingerprint(o);
    if (o.cursor) {
      const m = /^(\d{1,18})\.([\w-]{12})$/.exec(decodeCursor(o.cursor));
      if (!m || m[2] !== print) throw badCursor();
      q.where('pos', '<', m[1]!);
    }
    const rows = (await q) as Array<Parameters<typeof entryOf>[0]>;
    const page = rows.slice(0, o.limit);
    return {
      items: page.map(entryOf),
      nextCursor: rows.length > o.limit ? encodeCursor(`${page[page.length - 1]!.pos}.${print}`) : null,
    };
  }
}
