import type { Knex } from 'knex';
import type { InboxTask, TaskInbox } from '../../../application/ports/application.repository.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { InputError } from '../../../domain/shared/errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

type Pool = { role: string; unit: string };

/** Open tasks assigned to the person, or unclaimed in one of their pools; served by two partial indexes. */
export class KnexTaskInbox implements TaskInbox {
  constructor(private readonly knex: Knex) {}

  private mine(q: Knex.QueryBuilder, person: string, pools: Pool[]): Knex.QueryBuilder {
    return q.where('t.status', 'open').where((w) => {
      w.where('t.assignee', person);
      if (pools.length) {
        w.orWhere((p) => p.whereNull('t.assignee').whereIn(['t.candidate_role', 't.candidate_unit'], pools.map((x) => [x.role, x.unit])));
      }
    });
  }

  async list(o: { person: string; pools: Pool[]; limit: number; cursor?: string }): Promise<Page<InboxTask>> {
    const q = this.mine(this.knex('tasks as t'), o.person, o.pools)
      .join('applications as a', 'a.id', 't.application_id')
      .join('service_items as s', 's.id', 'a.item_id')
      .select('t.id', 't.application_id', 'a.case_number', 'a.item_id', 's.name as item_name', 't.node_key', 't.assignee',
        't.candidate_role', 't.candidate_unit', 't.reason', 't.created_at', 't.due_at')
      .orderBy([{ column: 't.created_at' }, { column: 't.id' }]).limit(o.limit + 1);
    if (o.cursor) {
      const [at = '', id = ''] = decodeCursor(o.cursor).split('|');
      if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [{ path: '/cursor', message: 'not a cursor issued by this API' }]);
      q.whereRaw('(t.created_at, t.id) > (?::timestamptz, ?::uuid)', [at, id]);
    }
    const rows = await q as Array<{ id: string; application_id: string; case_number: string | null; item_id: string; item_name: string; node_key: string;
      assignee: string | null; candidate_role: string | null; candidate_unit: string | null; reason: string | null; created_at: Date; due_at: Date | null }>;
    const page = rows.slice(0, o.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        taskId: r.id, applicationId: r.application_id, caseNumber: r.case_number, itemId: r.item_id, itemName: r.item_name,
        nodeKey: r.node_key, assignee: r.assignee, reason: r.reason, createdAt: r.created_at.toISOString(),
        dueAt: r.due_at ? r.due_at.toISOString() : null,
        candidate: r.candidate_role && r.candidate_unit ? { role: r.candidate_role, unit: r.candidate_unit } : null,
      })),
      nextCursor: rows.length > o.limit && last ? encodeCursor(`${last.created_at.toISOString()}|${last.id}`) : null,
    };
  }

  async count(o: { person: string; pools: Pool[] }): Promise<{ assigned: number; claimable: number }> {
    const r = await this.mine(this.knex('tasks as t'), o.person, o.pools)
      .select(this.knex.raw('count(*) FILTER (WHERE t.assignee IS NOT NULL)::int AS assigned'), this.knex.raw('count(*) FILTER (WHERE t.assignee IS NULL)::int AS claimable'))
      .first() as { assigned: number; claimable: number };
    return { assigned: r.assigned, claimable: r.claimable };
  }
}
