/**
 * Supervision (督办, Regulation Art. 4(3)3): how far each unit is behind. Counted per unit — the
 * application's owning unit for tasks, the follow-up's owning unit for 整改 — at one instant.
 *
 * A task counts when it is 'open': someone (or a pool) can act on it now. 'waiting' tasks (later
 * signers of a sequential countersign) do not count: nobody can act on them yet. A task is overdue
 * when it is open and its due date lies before the instant; a task without a due date (a node with
 * no time limit) is open but never overdue. A follow-up counts while it is 'open'; overdue likewise.
 */

/** A person holding a task, or the role pool it is offered to while nobody has claimed it. */
export interface SupervisionHolder {
  /** The assignee; null for an unclaimed pool task. */
  personId: string | null;
  name: string | null;
  /** The pool (role in unit) of an unclaimed task; null when a person holds it. */
  pool: { role: string; unit: string } | null;
}

export interface SupervisedItem {
  id: string;
  code: string;
  name: string;
}

export interface OverdueTask {
  taskId: string;
  applicationId: string;
  caseNumber: string | null;
  serviceItem: SupervisedItem;
  nodeKey: string;
  holder: SupervisionHolder;
  dueAt: string;
  /** Whole hours past due at the instant asked about. */
  overdueHours: number;
}

export interface OverdueFollowUp {
  followUpId: string;
  applicationId: string;
  caseNumber: string | null;
  serviceItem: SupervisedItem;
  /** The rating (1 非常不满意 … 2 不满意) that opened it. */
  level: number;
  dueAt: string;
  overdueHours: number;
}

/** One holder's open tasks in the unit. */
export interface HandlerFigures extends SupervisionHolder {
  open: number;
  overdue: number;
  /** The earliest due date among the holder's open tasks (overdue or not); null when none has one. */
  oldestDueAt: string | null;
}

export interface FollowUpFigures {
  open: number;
  overdue: number;
  /** The open follow-up longest past due; null when none is. */
  oldestOverdue: OverdueFollowUp | null;
}

export interface SupervisedUnit {
  key: string;
  code: string;
  name: string;
}

/** A unit's totals: the President's Office sees one of these per unit. */
export interface UnitSummary {
  unit: SupervisedUnit;
  openTasks: number;
  overdueTasks: number;
  /** The open task longest past due; null when none is. */
  oldestOverdue: OverdueTask | null;
  followUps: FollowUpFigures;
}

/** A unit's totals and who holds its open tasks, most overdue first (then most open). */
export interface UnitSupervision extends UnitSummary {
  byHandler: HandlerFigures[];
}

/** Read side over tasks and follow-ups; each answer is one consistent snapshot. */
export interface SupervisionQueries {
  /** null when there is no such unit. */
  unit(options: { unitKey: string; now: Date }): Promise<UnitSupervision | null>;
  /** Every unit, busy or not, most overdue tasks first. */
  units(options: { now: Date }): Promise<UnitSummary[]>;
}
