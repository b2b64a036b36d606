import type { Knex } from 'knex';
import type { InboxTask, TaskInbox } from '../../../application/ports/application.repository.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { decodeInstantIdCursor, encodeInstantIdCursor } from './cursor.js';

type Pool = { role: string; unit: string };

interface InboxRow {
  id: string;
  application_id: string;
  case_number: string | null;
  item_id: string;
  item_name: string;
  node_key: string;
  assignee: string | null;
  candidate_role: string | null;
  candidate_unit: string | null;
  reason: string | null;
  created_at: Date;
  due_at: Date | null;
}

/** A person may hold a role twice in one unit's rows (e.g. granted twice); one branch per pool is enough. */
const distinctPools = (pools: Pool[]) => [...new Map(pools.map((p) => [`${p.role}\u0000${p.unit}`, p])).values()];

/**
 * Open tasks assigned to the person, or unclaimed in one of their pools. Each source is its own
 * branch, read in (created_at, id) order from its partial index (tasks_open_by_assignee,
 * tasks_open_by_pool) and stopped after a page, so the work is (1 + pools) × page whatever the
 * backlog; the branches never overlap (a pool branch holds only unassigned tasks, each task has one
 * pool), and the merged page is then joined to its applications and items by primary key.
 */
export class KnexTaskInbox implements TaskInbox {
  constructor(private readonly knex: Knex) {}

  async list(o: { person: string; pools: Pool[]; limit: number; cursor?: string }): Promise<Page<InboxTask>> {
    let after: [string, string] | null = null;
    if (o.cursor) {
      const { at, id } = decodeInstantIdCursor(o.cursor);
      after = [at, id];
    }
    const take = o.limit + 1;
    const keyset = after ? ' AND (t.created_at, t.id) > (?::timestamptz, ?::uuid)' : '';
    const branches = [
      `(SELECT t.id, t.created_at FROM tasks t WHERE t.status = 'open' AND t.assignee = ?${keyset} ORDER BY t.created_at, t.id LIMIT ?)`,
    ];
    const bindings: unknown[] = [o.person, ...(after ?? []), take];
    for (const p of distinctPools(o.pools)) {
      branches.push(`(SELECT t.id, t.created_at FROM tasks t WHERE t.status = 'open' AND t.assignee IS NULL AND t.candidate_unit = ? AND t.candidate_role = ?${keyset}
        ORDER BY t.created_at, t.id LIMIT ?)`);
      bindings.push(p.unit, p.role, ...(after ?? []), take);
    }
    const rows = (
      (await this.knex.raw(
        `
      WITH page AS (SELECT m.id, m.created_at FROM (${branches.join(' UNION ALL ')}) m ORDER BY m.created_at, m.id LIMIT ?)
      SELECT t.id, t.application_id, a.case_number, a.item_id, s.name AS item_name, t.node_key, t.assignee, t.candidate_role, t.candidate_unit,
             t.reason, t.created_at, t.due_at
        FROM page JOIN tasks t ON t.id = page.id JOIN applications a ON a.id = t.application_id JOIN service_items s ON s.id = a.item_id
       ORDER BY page.created_at, page.id`,
        [...bindings, take] as Knex.RawBinding[],
      )) as { rows: InboxRow[] }
    ).rows;
    const page = rows.slice(0, o.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        taskId: r.id,
        applicationId: r.application_id,
        caseNumber: r.case_number,
        itemId: r.item_id,
        itemName: r.item_name,
        nodeKey: r.node_key,
        assignee: r.assignee,
        reason: r.reason,
        createdAt: r.created_at.toISOString(),
        dueAt: r.due_at ? r.due_at.toISOString() : null,
        candidate: r.candidate_role && r.candidate_unit ? { role: r.candidate_role, unit: r.candidate_unit } : null,
      })),
      nextCursor: rows.length > o.limit && last ? encodeInstantIdCursor(last.created_at, last.id) : null,
    };
  }

  /** Counted from the same partial indexes (index-only): the work is the person's open tasks and their pools' unclaimed ones. */
  async count(o: { person: string; pools: Pool[] }): Promise<{ assigned: number; claimable: number }> {
    const pools = distinctPools(o.pools);
    const claimable = pools.length
      ? pools
          .map(
            () =>
              `(SELECT count(*) FROM tasks t WHERE t.status = 'open' AND t.assignee IS NULL AND t.candidate_unit = ? AND t.candidate_role = ?)`,
          )
          .join(' + ')
      : '0';
    const r = (
      (await this.knex.raw(
        `SELECT (SELECT count(*) FROM tasks t WHERE t.status = 'open' AND t.assignee = ?)::int AS assigned, (${claimable})::int AS claimable`,
        [o.person, ...pools.flatMap((p) => [p.unit, p.role])],
      )) as { rows: Array<{ assigned: number; claimable: number }> }
    ).rows[0]!;
    return { assigned: r.assigned, claimable: r.claimable };
  }
}
