import type { Knex } from 'knex';
import type {
  FollowUpFigures,
  HandlerFigures,
  OverdueFollowUp,
  OverdueTask,
  SupervisedUnit,
  SupervisionQueries,
  UnitSummary,
  UnitSupervision,
} from '../../../application/ports/supervision.port.js';

const HOUR_MS = 3_600_000;

interface HolderRow {
  assignee: string | null;
  name: string | null;
  pool_role: string | null;
  pool_unit: string | null;
  open: number;
  overdue: number;
  oldest_due_at: Date | null;
}
interface CountRow {
  owning_unit: string;
  open: number;
  overdue: number;
}
interface OverdueTaskRow {
  owning_unit: string;
  id: string;
  application_id: string;
  case_number: string | null;
  item_id: string;
  item_code: string;
  item_name: string;
  node_key: string;
  assignee: string | null;
  assignee_name: string | null;
  candidate_role: string | null;
  candidate_unit: string | null;
  due_at: Date;
}
interface OverdueFollowUpRow {
  owning_unit: string;
  id: string;
  application_id: string;
  case_number: string | null;
  item_id: string;
  item_code: string;
  item_name: string;
  level: number;
  due_at: Date;
}

const overdueHours = (dueAt: Date, now: Date) => Math.floor((now.getTime() - dueAt.getTime()) / HOUR_MS);

/** An unclaimed task is held by its pool; a pool task with no candidate recorded shows as an empty pool. */
const holderOf = (assignee: string | null, name: string | null, role: string | null, unit: string | null) =>
  assignee !== null
    ? { personId: assignee, name, pool: null }
    : { personId: null, name: null, pool: { role: role ?? '', unit: unit ?? '' } };

const toOverdueTask = (r: OverdueTaskRow, now: Date): OverdueTask => ({
  taskId: r.id,
  applicationId: r.application_id,
  caseNumber: r.case_number,
  serviceItem: { id: r.item_id, code: r.item_code, name: r.item_name },
  nodeKey: r.node_key,
  holder: holderOf(r.assignee, r.assignee_name, r.candidate_role, r.candidate_unit),
  dueAt: r.due_at.toISOString(),
  overdueHours: overdueHours(r.due_at, now),
});

const toOverdueFollowUp = (r: OverdueFollowUpRow, now: Date): OverdueFollowUp => ({
  followUpId: r.id,
  applicationId: r.application_id,
  caseNumber: r.case_number,
  serviceItem: { id: r.item_id, code: r.item_code, name: r.item_name },
  level: r.level,
  dueAt: r.due_at.toISOString(),
  overdueHours: overdueHours(r.due_at, now),
});

const holderKey = (h: HandlerFigures) =>
  h.personId !== null ? `0|${h.personId}` : `1|${h.pool?.role}|${h.pool?.unit}`;

/** Most overdue first, then most open, then the longest-waiting due date; people before pools, then by id. */
function byUrgency(a: HandlerFigures, b: HandlerFigures): number {
  return (
    b.overdue - a.overdue ||
    b.open - a.open ||
    (a.oldestDueAt ?? '\uffff').localeCompare(b.oldestDueAt ?? '\uffff') ||
    holderKey(a).localeCompare(holderKey(b))
  );
}

/** Columns of an overdue task row; `t` is the task, joined to its application and item by primary key. */
const OVERDUE_TASK = `t.owning_unit, t.id, t.application_id, a.case_number, s.id AS item_id, s.code AS item_code, s.name AS item_name,
  t.node_key, t.assignee, p.name AS assignee_name, t.candidate_role, t.candidate_unit, t.due_at`;
const OVERDUE_FOLLOW_UP =
  'f.owning_unit, f.id, f.application_id, a.case_number, s.id AS item_id, s.code AS item_code, s.name AS item_name, f.level, f.due_at';

/**
 * Supervision figures straight from the tasks and follow_ups tables, through partial indexes that
 * hold only open rows keyed by owning unit (tasks_open_by_unit, follow_ups_open_by_unit): a unit's
 * figures read its open rows from the index alone (index-only) and its oldest overdue one first in
 * due order; every unit's oldest is one such probe per unit. The work is the open backlog, never the
 * applications behind it. Each answer is one read-only repeatable-read transaction so the totals and
 * the rows agree.
 */
export class KnexSupervision implements SupervisionQueries {
  constructor(private readonly knex: Knex) {}

  private snapshot<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(work, { isolationLevel: 'repeatable read', readOnly: true });
  }

  async unit(o: { unitKey: string; now: Date }): Promise<UnitSupervision | null> {
    return this.snapshot(async (trx) => {
      const unit = (await trx('units').where({ key: o.unitKey }).first('key', 'code', 'name')) as
        SupervisedUnit | undefined;
      if (!unit) return null;
      // open tasks by holder: the assignee, or for unclaimed tasks the pool they are offered to; each
      // holder's name looked up by key (a join lets the planner hash every person of the university)
      const rows = (
        (await trx.raw(
          `
        SELECT h.assignee, (SELECT p.name FROM people p WHERE p.id = h.assignee) AS name, h.pool_role, h.pool_unit, h.open, h.overdue, h.oldest_due_at
          FROM (SELECT t.assignee,
                       CASE WHEN t.assignee IS NULL THEN t.candidate_role END AS pool_role,
                       CASE WHEN t.assignee IS NULL THEN t.candidate_unit END AS pool_unit,
                       count(*)::int AS open, (count(*) FILTER (WHERE t.due_at < ?))::int AS overdue, min(t.due_at) AS oldest_due_at
                  FROM tasks t WHERE t.status = 'open' AND t.owning_unit = ? GROUP BY 1, 2, 3) h`,
          [o.now, o.unitKey],
        )) as { rows: HolderRow[] }
      ).rows;
      const byHandler = rows
        .map((r): HandlerFigures => ({
          ...holderOf(r.assignee, r.name, r.pool_role, r.pool_unit),
          open: r.open,
          overdue: r.overdue,
          oldestDueAt: r.oldest_due_at?.toISOString() ?? null,
        }))
        .sort(byUrgency);
      const [oldestTask] = await this.oldestOverdueTasks(trx, o.now, o.unitKey);
      const followUps = await this.followUps(trx, o.now, o.unitKey);
      return {
        unit: { key: unit.key, code: unit.code, name: unit.name },
        openTasks: byHandler.reduce((n, h) => n + h.open, 0),
        overdueTasks: byHandler.reduce((n, h) => n + h.overdue, 0),
        oldestOverdue: oldestTask ? toOverdueTask(oldestTask, o.now) : null,
        followUps: followUps.get(o.unitKey) ?? { open: 0, overdue: 0, oldestOverdue: null },
        byHandler,
      };
    });
  }

  async units(o: { now: Date }): Promise<UnitSummary[]> {
    return this.snapshot(async (trx) => {
      const units = (await trx('units').select('key', 'code', 'name').orderBy('key')) as SupervisedUnit[];
      const counts = (
        (await trx.raw(
          `SELECT t.owning_unit, count(*)::int AS open, (count(*) FILTER (WHERE t.due_at < ?))::int AS overdue
        FROM tasks t WHERE t.status = 'open' GROUP BY t.owning_unit`,
          [o.now],
        )) as { rows: CountRow[] }
      ).rows;
      const taskCounts = new Map(counts.map((c) => [c.owning_unit, c]));
      const oldest = new Map((await this.oldestOverdueTasks(trx, o.now)).map((r) => [r.owning_unit, r]));
      const followUps = await this.followUps(trx, o.now);
      return units
        .map((u): UnitSummary => {
          const c = taskCounts.get(u.key);
          const old = oldest.get(u.key);
          return {
            unit: { key: u.key, code: u.code, name: u.name },
            openTasks: c?.open ?? 0,
            overdueTasks: c?.overdue ?? 0,
            oldestOverdue: old ? toOverdueTask(old, o.now) : null,
            followUps: followUps.get(u.key) ?? { open: 0, overdue: 0, oldestOverdue: null },
          };
        })
        .sort(
          (a, b) =>
            b.overdueTasks - a.overdueTasks ||
            b.followUps.overdue - a.followUps.overdue ||
            b.openTasks - a.openTasks ||
            b.followUps.open - a.followUps.open ||
            a.unit.key.localeCompare(b.unit.key),
        );
    });
  }

  /**
   * The open task longest past due, per owning unit (or for one unit): the first entry of the unit's
   * range of tasks_open_by_unit, one probe per unit, rather than every overdue task sorted.
   */
  private async oldestOverdueTasks(trx: Knex.Transaction, now: Date, unitKey?: string): Promise<OverdueTaskRow[]> {
    const first = `SELECT x.id FROM tasks x WHERE x.status = 'open' AND x.owning_unit = u.key AND x.due_at < ? ORDER BY x.due_at, x.id LIMIT 1`;
    return (
      (await trx.raw(
        `
      SELECT ${OVERDUE_TASK}
        FROM (SELECT key FROM units${unitKey !== undefined ? ' WHERE key = ?' : ''}) u
        CROSS JOIN LATERAL (${first}) o
        JOIN tasks t ON t.id = o.id JOIN applications a ON a.id = t.application_id JOIN service_items s ON s.id = a.item_id
        LEFT JOIN people p ON p.id = t.assignee`,
        [...(unitKey !== undefined ? [unitKey] : []), now],
      )) as { rows: OverdueTaskRow[] }
    ).rows;
  }

  /** Open and overdue follow-ups (整改) and the one longest past due, per owning unit (or for one unit). */
  private async followUps(trx: Knex.Transaction, now: Date, unitKey?: string): Promise<Map<string, FollowUpFigures>> {
    const one = unitKey !== undefined ? ' AND f.owning_unit = ?' : '';
    const counts = (
      (await trx.raw(
        `SELECT f.owning_unit, count(*)::int AS open, (count(*) FILTER (WHERE f.due_at < ?))::int AS overdue
      FROM follow_ups f WHERE f.status = 'open'${one} GROUP BY f.owning_unit`,
        [now, ...(unitKey !== undefined ? [unitKey] : [])],
      )) as { rows: CountRow[] }
    ).rows;
    const oldest = (
      (await trx.raw(
        `
      SELECT ${OVERDUE_FOLLOW_UP}
        FROM (SELECT key FROM units${unitKey !== undefined ? ' WHERE key = ?' : ''}) u
        CROSS JOIN LATERAL (SELECT x.id FROM follow_ups x WHERE x.status = 'open' AND x.owning_unit = u.key AND x.due_at < ? ORDER BY x.due_at, x.id LIMIT 1) o
        JOIN follow_ups f ON f.id = o.id JOIN applications a ON a.id = f.application_id JOIN service_items s ON s.id = f.item_id`,
        [...(unitKey !== undefined ? [unitKey] : []), now],
      )) as { rows: OverdueFollowUpRow[] }
    ).rows;
    const oldestByUnit = new Map(oldest.map((r) => [r.owning_unit, r]));
    const figures = new Map<string, FollowUpFigures>();
    for (const c of counts) {
      const old = oldestByUnit.get(c.owning_unit);
      figures.set(c.owning_unit, {
        open: c.open,
        overdue: c.overdue,
        oldestOverdue: old ? toOverdueFollowUp(old, now) : null,
      });
    }
    return figures;
  }
}
