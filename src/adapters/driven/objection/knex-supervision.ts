import type { Knex } from 'knex';
import type {
  FollowUpFigures, HandlerFigures, OverdueFollowUp, OverdueTask, SupervisedUnit, SupervisionQueries, UnitSummary, UnitSupervision,
} from '../../../application/ports/supervision.port.js';

const HOUR_MS = 3_600_000;

interface HolderRow { assignee: string | null; name: string | null; pool_role: string | null; pool_unit: string | null; open: number; overdue: number; oldest_due_at: Date | null }
interface CountRow { owning_unit: string; open: number; overdue: number }
interface OverdueTaskRow {
  owning_unit: string; id: string; application_id: string; case_number: string | null; item_id: string; item_code: string; item_name: string;
  node_key: string; assignee: string | null; assignee_name: string | null; candidate_role: string | null; candidate_unit: string | null; due_at: Date;
}
interface OverdueFollowUpRow {
  owning_unit: string; id: string; application_id: string; case_number: string | null; item_id: string; item_code: string; item_name: string; level: number; due_at: Date;
}

const overdueHours = (dueAt: Date, now: Date) => Math.floor((now.getTime() - dueAt.getTime()) / HOUR_MS);

/** An unclaimed task is held by its pool; a pool task with no candidate recorded shows as an empty pool. */
const holderOf = (assignee: string | null, name: string | null, role: string | null, unit: string | null) =>
  assignee !== null ? { personId: assignee, name, pool: null } : { personId: null, name: null, pool: { role: role ?? '', unit: unit ?? '' } };

const toOverdueTask = (r: OverdueTaskRow, now: Date): OverdueTask => ({
  taskId: r.id, applicationId: r.application_id, caseNumber: r.case_number,
  serviceItem: { id: r.item_id, code: r.item_code, name: r.item_name }, nodeKey: r.node_key,
  holder: holderOf(r.assignee, r.assignee_name, r.candidate_role, r.candidate_unit),
  dueAt: r.due_at.toISOString(), overdueHours: overdueHours(r.due_at, now),
});

const toOverdueFollowUp = (r: OverdueFollowUpRow, now: Date): OverdueFollowUp => ({
  followUpId: r.id, applicationId: r.application_id, caseNumber: r.case_number,
  serviceItem: { id: r.item_id, code: r.item_code, name: r.item_name }, level: r.level,
  dueAt: r.due_at.toISOString(), overdueHours: overdueHours(r.due_at, now),
});

const holderKey = (h: HandlerFigures) => h.personId !== null ? `0|${h.personId}` : `1|${h.pool?.role}|${h.pool?.unit}`;

/** Most overdue first, then most open, then the longest-waiting due date; people before pools, then by id. */
function byUrgency(a: HandlerFigures, b: HandlerFigures): number {
  return b.overdue - a.overdue || b.open - a.open
    || (a.oldestDueAt ?? '\uffff').localeCompare(b.oldestDueAt ?? '\uffff') || holderKey(a).localeCompare(holderKey(b));
}

/**
 * Supervision figures straight from the tasks and follow_ups tables. Open tasks are reached through
 * the partial indexes on open tasks (tasks_open_due for the overdue ones, ordered by due date) and
 * joined to their application by primary key; follow-ups through (owning_unit, status, due_at).
 * Five queries per answer whatever the number of units, tasks or handlers, in one read-only
 * repeatable-read transaction so the totals and the rows agree.
 */
export class KnexSupervision implements SupervisionQueries {
  constructor(private readonly knex: Knex) {}

  private snapshot<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(work, { isolationLevel: 'repeatable read', readOnly: true });
  }

  async unit(o: { unitKey: string; now: Date }): Promise<UnitSupervision | null> {
    return this.snapshot(async (trx) => {
      const unit = await trx('units').where({ key: o.unitKey }).first('key', 'code', 'name') as SupervisedUnit | undefined;
      if (!unit) return null;
      // open tasks by holder: the assignee, or for unclaimed tasks the pool they are offered to
      const rows = await trx('tasks as t')
        .join('applications as a', 'a.id', 't.application_id')
        .leftJoin('people as p', 'p.id', 't.assignee')
        .where('t.status', 'open').where('a.owning_unit', o.unitKey)
        .select('t.assignee', 'p.name',
          trx.raw('CASE WHEN t.assignee IS NULL THEN t.candidate_role END AS pool_role'),
          trx.raw('CASE WHEN t.assignee IS NULL THEN t.candidate_unit END AS pool_unit'),
          trx.raw('count(*)::int AS open'),
          trx.raw('(count(*) FILTER (WHERE t.due_at < ?))::int AS overdue', [o.now]),
          trx.raw('min(t.due_at) AS oldest_due_at'))
        .groupByRaw('1, 2, 3, 4') as HolderRow[];
      const byHandler = rows.map((r): HandlerFigures => ({
        ...holderOf(r.assignee, r.name, r.pool_role, r.pool_unit), open: r.open, overdue: r.overdue, oldestDueAt: r.oldest_due_at?.toISOString() ?? null,
      })).sort(byUrgency);
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
      const units = await trx('units').select('key', 'code', 'name').orderBy('key') as SupervisedUnit[];
      const counts = await trx('tasks as t')
        .join('applications as a', 'a.id', 't.application_id')
        .where('t.status', 'open')
        .select('a.owning_unit', trx.raw('count(*)::int AS open'), trx.raw('(count(*) FILTER (WHERE t.due_at < ?))::int AS overdue', [o.now]))
        .groupBy('a.owning_unit') as CountRow[];
      const taskCounts = new Map(counts.map((c) => [c.owning_unit, c]));
      const oldest = new Map((await this.oldestOverdueTasks(trx, o.now)).map((r) => [r.owning_unit, r]));
      const followUps = await this.followUps(trx, o.now);
      return units.map((u): UnitSummary => {
        const c = taskCounts.get(u.key);
        const old = oldest.get(u.key);
        return {
          unit: { key: u.key, code: u.code, name: u.name },
          openTasks: c?.open ?? 0, overdueTasks: c?.overdue ?? 0,
          oldestOverdue: old ? toOverdueTask(old, o.now) : null,
          followUps: followUps.get(u.key) ?? { open: 0, overdue: 0, oldestOverdue: null },
        };
      }).sort((a, b) => b.overdueTasks - a.overdueTasks || b.followUps.overdue - a.followUps.overdue
        || b.openTasks - a.openTasks || b.followUps.open - a.followUps.open || a.unit.key.localeCompare(b.unit.key));
    });
  }

  /** The open task longest past due, per owning unit (or for one unit). */
  private async oldestOverdueTasks(trx: Knex.Transaction, now: Date, unitKey?: string): Promise<OverdueTaskRow[]> {
    const q = trx('tasks as t')
      .join('applications as a', 'a.id', 't.application_id')
      .join('service_items as s', 's.id', 'a.item_id')
      .leftJoin('people as p', 'p.id', 't.assignee')
      .where('t.status', 'open').whereNotNull('t.due_at').where('t.due_at', '<', now)
      .distinctOn('a.owning_unit')
      .select('a.owning_unit', 't.id', 't.application_id', 'a.case_number', 's.id as item_id', 's.code as item_code', 's.name as item_name',
        't.node_key', 't.assignee', 'p.name as assignee_name', 't.candidate_role', 't.candidate_unit', 't.due_at')
      .orderBy([{ column: 'a.owning_unit' }, { column: 't.due_at' }, { column: 't.id' }]);
    if (unitKey !== undefined) q.where('a.owning_unit', unitKey);
    return await q as OverdueTaskRow[];
  }

  /** Open and overdue follow-ups (整改) and the one longest past due, per owning unit (or for one unit). */
  private async followUps(trx: Knex.Transaction, now: Date, unitKey?: string): Promise<Map<string, FollowUpFigures>> {
    const counts = trx('follow_ups as f').where('f.status', 'open')
      .select('f.owning_unit', trx.raw('count(*)::int AS open'), trx.raw('(count(*) FILTER (WHERE f.due_at < ?))::int AS overdue', [now]))
      .groupBy('f.owning_unit');
    const oldest = trx('follow_ups as f')
      .join('applications as a', 'a.id', 'f.application_id')
      .join('service_items as s', 's.id', 'f.item_id')
      .where('f.status', 'open').where('f.due_at', '<', now)
      .distinctOn('f.owning_unit')
      .select('f.owning_unit', 'f.id', 'f.application_id', 'a.case_number', 's.id as item_id', 's.code as item_code', 's.name as item_name', 'f.level', 'f.due_at')
      .orderBy([{ column: 'f.owning_unit' }, { column: 'f.due_at' }, { column: 'f.id' }]);
    if (unitKey !== undefined) {
      counts.where('f.owning_unit', unitKey);
      oldest.where('f.owning_unit', unitKey);
    }
    const oldestByUnit = new Map((await oldest as OverdueFollowUpRow[]).map((r) => [r.owning_unit, r]));
    const figures = new Map<string, FollowUpFigures>();
    for (const c of await counts as CountRow[]) {
      const old = oldestByUnit.get(c.owning_unit);
      figures.set(c.owning_unit, { open: c.open, overdue: c.overdue, oldestOverdue: old ? toOverdueFollowUp(old, now) : null });
    }
    return figures;
  }
}
