import type { Knex } from 'knex';
import type { ApplicationState } from '../../../domain/application/application-state.js';
import type {
  CopiedApplication,
  DoneOutcome,
  DoneTask,
  HandlerLists,
  ListFilter,
} from '../../../application/ports/handler-lists.port.js';
import type { Page } from '../../../application/ports/service-item.repository.port.js';
import { decodeInstantIdCursor, encodeInstantIdCursor } from './cursor.js';
import { ProcessDefinitionCache } from './process-definition-cache.js';

/** The actions of application_history_done_by_actor's predicate, written the same way so the planner matches it. */
const DONE_ACTIONS = `('approved', 'rejected', 'returned', 'transferred', 'delegated', 'delegation-resolved', 'signer-opinion')`;

interface DoneRow {
  task_id: string;
  node: string;
  at: Date;
  action: string;
  opinion: string | null;
  application_id: string;
  case_number: string | null;
  state: ApplicationState;
  item_id: string;
  item_code: string;
  item_name: string;
  version_id: string;
}

interface CopiedRow {
  application_id: string;
  copied_at: Date;
  copied_by: string;
  case_number: string | null;
  state: ApplicationState;
  applicant_id: string;
  item_id: string;
  item_code: string;
  item_name: string;
}

/** A person may hold a role twice in one unit's rows; one count per pool is enough. */
const distinctPools = (pools: Array<{ role: string; unit: string }>) => [
  ...new Map(pools.map((p) => [`${p.role}\u0000${p.unit}`, p])).values(),
];

/** The application filters both lists share, on `a` (applications) and the list's own instant column. */
function applicationFilter(f: ListFilter, at: string): { sql: string; bindings: unknown[] } {
  const parts: Array<[string, unknown]> = [];
  if (f.itemId !== undefined) parts.push(['a.item_id = ?', f.itemId]);
  if (f.caseNumber !== undefined) parts.push(['a.case_number = ?', f.caseNumber]);
  if (f.from !== undefined) parts.push([`${at} >= ?`, f.from]);
  if (f.to !== undefined) parts.push([`${at} < ?`, f.to]);
  return { sql: parts.map(([s]) => ` AND ${s}`).join(''), bindings: parts.map(([, v]) => v) };
}

/**
 * 已办 and 抄送我的, newest first by keyset, each walking its own index backwards from the cursor:
 * the person's done actions (application_history_done_by_actor: actor, at, task_id) keeping only
 * their last action on each task (a later one is probed in application_history_done_by_task), and the copies to
 * the person (application_copies_by_person). Filters on the application are checked on the rows
 * the walk meets; the page's node names come from the launched versions' definitions (cached).
 * The counts are index-only: distinct tasks acted on, copies, and open tasks past due per source.
 */
export class KnexHandlerLists implements HandlerLists {
  private readonly definitions = new ProcessDefinitionCache(200);

  constructor(private readonly knex: Knex) {}

  async done(o: {
    person: string;
    filter: ListFilter & { outcome?: DoneOutcome };
    limit: number;
    cursor?: string;
  }): Promise<Page<DoneTask>> {
    const f = applicationFilter(o.filter, 'h.at');
    let outcome = '';
    const bindings: unknown[] = [o.person, ...f.bindings];
    if (o.filter.outcome === 'approved' || o.filter.outcome === 'rejected') {
      outcome = ` AND (h.action = ? OR (h.action = 'signer-opinion' AND h.detail->>'outcome' = ?))`;
      bindings.push(o.filter.outcome, o.filter.outcome);
    } else if (o.filter.outcome !== undefined) {
      outcome = ' AND h.action = ?';
      bindings.push(o.filter.outcome);
    }
    let keyset = '';
    if (o.cursor) {
      const c = decodeInstantIdCursor(o.cursor);
      keyset = ' AND (h.at, h.task_id) < (?::timestamptz, ?::uuid)';
      bindings.push(c.at, c.id);
    }
    const rows = (
      (await this.knex.raw(
        `SELECT h.task_id, h.node, h.at, h.action, h.detail->>'outcome' AS opinion, h.application_id,
                a.case_number, a.state, a.item_id, a.version_id, s.code AS item_code, s.name AS item_name
           FROM application_history h
           JOIN applications a ON a.id = h.application_id
           JOIN service_items s ON s.id = a.item_id
          WHERE h.actor = ? AND h.task_id IS NOT NULL AND h.action IN ${DONE_ACTIONS}${f.sql}${outcome}${keyset}
            AND NOT EXISTS (SELECT 1 FROM application_history l
                             WHERE l.task_id = h.task_id AND l.actor = h.actor AND l.seq > h.seq
                               AND l.action IN ${DONE_ACTIONS})
          ORDER BY h.at DESC, h.task_id DESC
          LIMIT ?`,
        [...bindings, o.limit + 1] as Knex.RawBinding[],
      )) as { rows: DoneRow[] }
    ).rows;
    const page = rows.slice(0, o.limit);
    const definitions = await this.definitions.get(
      this.knex,
      page.map((r) => r.version_id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        taskId: r.task_id,
        node: {
          key: r.node,
          name: definitions.get(r.version_id)?.nodes.find((n) => n.key === r.node)?.name ?? null,
        },
        outcome: (r.action === 'signer-opinion' ? r.opinion : r.action) as DoneOutcome,
        actedAt: r.at.toISOString(),
        applicationId: r.application_id,
        caseNumber: r.case_number,
        serviceItem: { id: r.item_id, code: r.item_code, name: r.item_name },
        state: r.state,
      })),
      nextCursor: rows.length > o.limit && last ? encodeInstantIdCursor(last.at, last.task_id) : null,
    };
  }

  async copied(o: {
    person: string;
    filter: ListFilter & { state?: ApplicationState };
    limit: number;
    cursor?: string;
  }): Promise<Page<CopiedApplication>> {
    const f = applicationFilter(o.filter, 'c.copied_at');
    const bindings: unknown[] = [o.person, ...f.bindings];
    let state = '';
    if (o.filter.state !== undefined) {
      state = ' AND a.state = ?';
      bindings.push(o.filter.state);
    }
    let keyset = '';
    if (o.cursor) {
      const c = decodeInstantIdCursor(o.cursor);
      keyset = ' AND (c.copied_at, c.application_id) < (?::timestamptz, ?::uuid)';
      bindings.push(c.at, c.id);
    }
    const rows = (
      (await this.knex.raw(
        `SELECT c.application_id, c.copied_at, c.copied_by, a.case_number, a.state, a.applicant_id,
                a.item_id, s.code AS item_code, s.name AS item_name
           FROM application_copies c
           JOIN applications a ON a.id = c.application_id
           JOIN service_items s ON s.id = a.item_id
          WHERE c.person_id = ?${f.sql}${state}${keyset}
          ORDER BY c.copied_at DESC, c.application_id DESC
          LIMIT ?`,
        [...bindings, o.limit + 1] as Knex.RawBinding[],
      )) as { rows: CopiedRow[] }
    ).rows;
    const page = rows.slice(0, o.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        applicationId: r.application_id,
        caseNumber: r.case_number,
        serviceItem: { id: r.item_id, code: r.item_code, name: r.item_name },
        state: r.state,
        applicantId: r.applicant_id,
        copiedAt: r.copied_at.toISOString(),
        copiedBy: r.copied_by,
      })),
      nextCursor: rows.length > o.limit && last ? encodeInstantIdCursor(last.copied_at, last.application_id) : null,
    };
  }

  async counts(o: {
    person: string;
    pools: Array<{ role: string; unit: string }>;
    now: Date;
  }): Promise<{ done: number; copied: number; overdue: number }> {
    const pools = distinctPools(o.pools);
    const overdue = [
      `(SELECT count(*) FROM tasks t WHERE t.status = 'open' AND t.due_at IS NOT NULL AND t.assignee = ? AND t.due_at < ?)`,
      ...pools.map(
        () =>
          `(SELECT count(*) FROM tasks t WHERE t.status = 'open' AND t.assignee IS NULL AND t.due_at IS NOT NULL
              AND t.candidate_unit = ? AND t.candidate_role = ? AND t.due_at < ?)`,
      ),
    ].join(' + ');
    const r = (
      (await this.knex.raw(
        `SELECT (SELECT count(DISTINCT h.task_id) FROM application_history h
                  WHERE h.actor = ? AND h.task_id IS NOT NULL AND h.action IN ${DONE_ACTIONS})::int AS done,
                (SELECT count(*) FROM application_copies c WHERE c.person_id = ?)::int AS copied,
                (${overdue})::int AS overdue`,
        [o.person, o.person, o.person, o.now, ...pools.flatMap((p) => [p.unit, p.role, o.now])],
      )) as { rows: Array<{ done: number; copied: number; overdue: number }> }
    ).rows[0]!;
    return { done: r.done, copied: r.copied, overdue: r.overdue };
  }
}
