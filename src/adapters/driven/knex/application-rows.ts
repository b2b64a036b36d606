import type { HistoryEntry } from '../../../domain/application/application-state.js';
import type { Task } from '../../../domain/application/task.js';

/** A task row as json_agg renders it (timestamps as text). */
export interface TaskJson {
  id: string;
  node_key: string;
  activation: number;
  assignee: string | null;
  candidate_role: string | null;
  candidate_unit: string | null;
  status: Task['status'];
  outcome: Task['outcome'];
  order: number;
  reason: string | null;
  created_at: string;
  added_by: string | null;
  before_of: string | null;
  delegated_by: string | null;
  acted_by: string | null;
  acted_at: string | null;
  due_at: string | null;
}

const iso = (s: string | null): string | null => (s === null ? null : new Date(s).toISOString());

export const toTask = (r: TaskJson): Task => ({
  id: r.id,
  nodeKey: r.node_key,
  activation: r.activation,
  assignee: r.assignee,
  candidate: r.candidate_role && r.candidate_unit ? { role: r.candidate_role, unit: r.candidate_unit } : null,
  status: r.status,
  outcome: r.outcome,
  order: r.order,
  reason: r.reason,
  createdAt: iso(r.created_at)!,
  addedBy: r.added_by,
  beforeOf: r.before_of,
  delegatedBy: r.delegated_by,
  actedBy: r.acted_by,
  actedAt: iso(r.acted_at),
  dueAt: iso(r.due_at),
});

/** New and changed tasks (as the domain holds them, one JSON document) upserted in one statement. */
export const INSERT_TASKS = `INSERT INTO tasks (id, application_id, owning_unit, node_key, activation, assignee, candidate_role, candidate_unit, status, outcome,
    "order", reason, created_at, added_by, before_of, delegated_by, acted_by, acted_at, due_at)
  SELECT t.id, ?::uuid, ?, t."nodeKey", t.activation, t.assignee, t.candidate->>'role', t.candidate->>'unit', t.status, t.outcome,
    t."order", t.reason, t."createdAt", t."addedBy", t."beforeOf", t."delegatedBy", t."actedBy", t."actedAt", t."dueAt"
  FROM jsonb_to_recordset(?::jsonb) AS t(id uuid, "nodeKey" text, activation int, assignee text, candidate jsonb, status text, outcome text,
    "order" int, reason text, "createdAt" timestamptz, "addedBy" text, "beforeOf" uuid, "delegatedBy" text, "actedBy" text, "actedAt" timestamptz, "dueAt" timestamptz)
  ON CONFLICT (id) DO UPDATE SET node_key = EXCLUDED.node_key, activation = EXCLUDED.activation, assignee = EXCLUDED.assignee, candidate_role = EXCLUDED.candidate_role, candidate_unit = EXCLUDED.candidate_unit,
    status = EXCLUDED.status, outcome = EXCLUDED.outcome, "order" = EXCLUDED."order", reason = EXCLUDED.reason, added_by = EXCLUDED.added_by,
    before_of = EXCLUDED.before_of, delegated_by = EXCLUDED.delegated_by, acted_by = EXCLUDED.acted_by, acted_at = EXCLUDED.acted_at, due_at = EXCLUDED.due_at`;

/** New history entries (as the domain recorded them, one JSON document), appended in one statement. */
export const INSERT_HISTORY = `INSERT INTO application_history (application_id, seq, at, actor, action, node, task_id, comment, private, detail)
  SELECT ?::uuid, e.seq, e.at, e.actor, e.action, e.node, e."taskId", e.comment, coalesce(e.private, false), e.detail
  FROM jsonb_to_recordset(?::jsonb) AS e(seq int, at timestamptz, actor text, action text, node text, "taskId" uuid, comment text, private boolean, detail jsonb)`;

/**
 * The people a 'copied' entry names, one row each (抄送我的 reads them): the first copy to a person
 * stands, a later one of the same application to them changes nothing.
 */
export const INSERT_COPIES = `INSERT INTO application_copies (application_id, person_id, copied_at, copied_by)
  SELECT ?::uuid, p.person, e.at, e.actor
  FROM jsonb_to_recordset(?::jsonb) AS e(at timestamptz, actor text, detail jsonb)
  CROSS JOIN LATERAL jsonb_array_elements_text(e.detail->'to') AS p(person)
  ON CONFLICT (application_id, person_id) DO NOTHING`;

export const HISTORY_COLUMNS = 'seq, at, actor, action, node, task_id, comment, private, detail';
export interface HistoryRow {
  seq: number;
  at: Date;
  actor: string;
  action: HistoryEntry['action'];
  node: string | null;
  task_id: string | null;
  comment: string | null;
  private: boolean;
  detail: Record<string, unknown> | null;
}

/** The entry as the domain recorded it: absent members stay absent. */
export function historyEntry(r: HistoryRow): HistoryEntry {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    ...(r.node !== null ? { node: r.node } : {}),
    ...(r.task_id !== null ? { taskId: r.task_id } : {}),
    ...(r.comment !== null ? { comment: r.comment } : {}),
    ...(r.private ? { private: true } : {}),
    ...(r.detail !== null ? { detail: r.detail } : {}),
  };
}
