import { isInCatalogue, type ServiceItemState } from '../../../domain/service-item/service-item-lifecycle.js';
import type { Knex } from 'knex';
import { zeroCounts, type RawCounts } from '../../../domain/evaluation/annual-evaluation.js';
import type {
  EvaluatedItem,
  EvaluatedUnit,
  EvaluationFigures,
  FigureCounts,
  FiguresQuery,
} from '../../../application/ports/evaluation-figures.port.js';

/**
 * Every raw count of the annual evaluation in one statement (docs/evaluation.md). Each source is
 * reduced to fact rows keyed by (owning unit, item): one row per application received in the year
 * (with its handling time in working days, when it ended with a decision before as-of), and one
 * pre-counted row per unit and item for overdue tasks, urges, ratings and follow-ups. GROUPING SETS
 * then sums them for the university, each unit and each item at once, and percentile_disc gives
 * the nearest-rank 90th percentile of the handling times.
 *
 * Handling time: the calendar comes in as two arrays (each civil date, and the working days up to
 * and including it); the working days after the day of submission up to the day it ended are the
 * difference of the two dates' indexes. Civil dates are China's.
 */
export const FIGURES_SQL = `
WITH cal AS MATERIALIZED (
  SELECT c.d, c.i FROM unnest(:dates::date[], :idx::int[]) AS c(d, i)
), late AS (
  SELECT t.application_id FROM tasks t
  WHERE t.acted_at > t.due_at
  GROUP BY t.application_id
), apps AS (
  SELECT a.owning_unit, a.item_id, a.submitted_at, a.ended_at, l.application_id IS NULL AS kept_time,
         a.state IN ('completed', 'rejected') AND a.ended_at < :asOf AS done
  FROM applications a LEFT JOIN late l ON l.application_id = a.id
  WHERE a.submitted_at >= :from AND a.submitted_at < :asOf AND (:unit::text IS NULL OR a.owning_unit = :unit::text)
), overdue AS (
  SELECT a.owning_unit, a.item_id, count(*) AS n
  FROM tasks t JOIN applications a ON a.id = t.application_id
  WHERE t.due_at >= :from AND t.due_at < :asOf
    AND (t.acted_at > t.due_at OR t.status IN ('open', 'waiting'))
    AND (:unit::text IS NULL OR a.owning_unit = :unit::text)
  GROUP BY 1, 2
), urges AS (
  SELECT a.owning_unit, a.item_id, count(*) AS n
  FROM application_history h JOIN applications a ON a.id = h.application_id
  WHERE h.action = 'urged' AND h.at >= :from AND h.at < :asOf AND (:unit::text IS NULL OR a.owning_unit = :unit::text)
  GROUP BY 1, 2
), ratings AS (
  SELECT owning_unit, item_id,
         count(*) FILTER (WHERE level = 1) AS r1, count(*) FILTER (WHERE level = 2) AS r2,
         count(*) FILTER (WHERE level = 3) AS r3, count(*) FILTER (WHERE level = 4) AS r4,
         count(*) FILTER (WHERE level = 5) AS r5
  FROM evaluations
  WHERE created_at >= :from AND created_at < :asOf AND (:unit::text IS NULL OR owning_unit = :unit::text)
  GROUP BY 1, 2
), follow AS (
  SELECT owning_unit, item_id, count(*) AS n,
         count(*) FILTER (WHERE status = 'resolved' AND closed_at <= due_at AND closed_at < :asOf) AS on_time
  FROM follow_ups
  WHERE created_at >= :from AND created_at < :asOf AND (:unit::text IS NULL OR owning_unit = :unit::text)
  GROUP BY 1, 2
), facts AS (
  SELECT a.owning_unit, a.item_id, 1 AS received, a.done::int AS completed, (a.done AND a.kept_time)::int AS on_time,
         CASE WHEN a.done THEN ce.i - cs.i END AS days,
         0 AS overdue, 0 AS urges, 0 AS r1, 0 AS r2, 0 AS r3, 0 AS r4, 0 AS r5, 0 AS follow_ups, 0 AS follow_ups_on_time
  FROM apps a
  LEFT JOIN cal cs ON cs.d = (a.submitted_at AT TIME ZONE 'Asia/Shanghai')::date
  LEFT JOIN cal ce ON a.done AND ce.d = (a.ended_at AT TIME ZONE 'Asia/Shanghai')::date
  UNION ALL
  SELECT owning_unit, item_id, 0, 0, 0, NULL, n, 0, 0, 0, 0, 0, 0, 0, 0 FROM overdue
  UNION ALL
  SELECT owning_unit, item_id, 0, 0, 0, NULL, 0, n, 0, 0, 0, 0, 0, 0, 0 FROM urges
  UNION ALL
  SELECT owning_unit, item_id, 0, 0, 0, NULL, 0, 0, r1, r2, r3, r4, r5, 0, 0 FROM ratings
  UNION ALL
  SELECT owning_unit, item_id, 0, 0, 0, NULL, 0, 0, 0, 0, 0, 0, 0, n, on_time FROM follow
)
SELECT grouping(owning_unit, item_id) AS g, owning_unit, item_id,
       coalesce(sum(received), 0)::int AS received, coalesce(sum(completed), 0)::int AS completed, coalesce(sum(on_time), 0)::int AS on_time,
       coalesce(sum(days), 0)::int AS days_total,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY days) AS days_p90,
       coalesce(sum(overdue), 0)::int AS overdue, coalesce(sum(urges), 0)::int AS urges,
       coalesce(sum(r1), 0)::int AS r1, coalesce(sum(r2), 0)::int AS r2, coalesce(sum(r3), 0)::int AS r3, coalesce(sum(r4), 0)::int AS r4, coalesce(sum(r5), 0)::int AS r5,
       coalesce(sum(follow_ups), 0)::int AS follow_ups, coalesce(sum(follow_ups_on_time), 0)::int AS follow_ups_on_time
FROM facts
GROUP BY GROUPING SETS ((), (owning_unit), (owning_unit, item_id))`;

interface FigureRow {
  g: number;
  owning_unit: string | null;
  item_id: string | null;
  received: number;
  completed: number;
  on_time: number;
  days_total: number;
  days_p90: number | null;
  overdue: number;
  urges: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
  follow_ups: number;
  follow_ups_on_time: number;
}

const countsOf = (r: FigureRow): RawCounts => ({
  received: r.received,
  completed: r.completed,
  onTime: r.on_time,
  handlingDaysTotal: r.days_total,
  handlingDaysP90: r.days_p90 === null ? null : Number(r.days_p90),
  overdueTasks: r.overdue,
  urges: r.urges,
  ratings: [r.r1, r.r2, r.r3, r.r4, r.r5],
  followUps: r.follow_ups,
  followUpsOnTime: r.follow_ups_on_time,
});

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export class KnexEvaluationFigures implements EvaluationFigures {
  constructor(private readonly knex: Knex) {}

  async unit(key: string): Promise<EvaluatedUnit | null> {
    const row = (await this.knex('units').where({ key }).first('key', 'code', 'name')) as EvaluatedUnit | undefined;
    return row ?? null;
  }

  /** The figures, the units and the items in one snapshot (repeatable read, read only). */
  async counts(q: FiguresQuery): Promise<FigureCounts> {
    return this.knex.transaction(
      async (trx) => {
        const { rows } = await trx.raw<{ rows: FigureRow[] }>(FIGURES_SQL, {
          dates: q.calendar.dates,
          idx: q.calendar.index,
          from: q.from,
          asOf: q.asOf,
          unit: q.unitKey,
        });
        const units = (await trx('units').select('key', 'code', 'name')) as EvaluatedUnit[];
        const items = (await trx('service_items')
          .modify((b) => (q.unitKey ? b.where({ owning_unit: q.unitKey }) : b))
          .select('id', 'code', 'name', 'owning_unit', 'state')) as Array<
          EvaluatedItem & { owning_unit: string; state: string }
        >;
        return assemble(rows, units, items, q.unitKey);
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    );
  }
}

/**
 * Units: every unit with a service item, or with figures. Items: every item with figures in the
 * year, or in the catalogue (online) now; an item's row is under the unit that owned its applications.
 */
function assemble(
  rows: FigureRow[],
  allUnits: EvaluatedUnit[],
  allItems: Array<EvaluatedItem & { owning_unit: string; state: string }>,
  unitKey: string | null,
): FigureCounts {
  const unitByKey = new Map(allUnits.map((u) => [u.key, u]));
  const itemById = new Map(allItems.map((i) => [i.id, i]));
  const university = rows.find((r) => r.g === 3);
  const unitRows = new Map(rows.filter((r) => r.g === 1).map((r) => [r.owning_unit!, r]));
  const itemRows = new Map(rows.filter((r) => r.g === 0).map((r) => [`${r.owning_unit!}/${r.item_id!}`, r]));

  const unitKeys = new Set([...allItems.map((i) => i.owning_unit), ...unitRows.keys()]);
  if (unitKey) unitKeys.add(unitKey);
  const units = [...unitKeys]
    .map((k) => unitByKey.get(k)!)
    .filter((u) => u && (!unitKey || u.key === unitKey))
    .sort(byCode)
    .map((unit) => ({ unit, counts: unitRows.has(unit.key) ? countsOf(unitRows.get(unit.key)!) : zeroCounts() }));

  const itemKeys = new Set(itemRows.keys());
  for (const i of allItems) if (isInCatalogue(i.state as ServiceItemState)) itemKeys.add(`${i.owning_unit}/${i.id}`);
  const items = [...itemKeys]
    .map((k) => {
      const [uk, id] = k.split('/') as [string, string];
      const item = itemById.get(id);
      const unit = unitByKey.get(uk);
      if (!item || !unit) return null;
      const row = itemRows.get(k);
      return {
        unit,
        item: { id: item.id, code: item.code, name: item.name },
        counts: row ? countsOf(row) : zeroCounts(),
      };
    })
    .filter((x): x is NonNullable<typeof x> => x !== null)
    .sort((a, b) => byCode(a.unit, b.unit) || byCode(a.item, b.item));

  return { university: university ? countsOf(university) : zeroCounts(), units, items };
}
