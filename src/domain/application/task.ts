/** One person's (or one role pool's) piece of work at one activation of a node. */
export type TaskStatus = 'waiting' | 'open' | 'done' | 'cancelled';
export type TaskOutcome = 'approved' | 'rejected';

export interface Task {
  id: string;
  nodeKey: string;
  /** Which activation of the node this task belongs to (a return re-activates a node). */
  activation: number;
  /** Who must act; null while the task is offered to a role pool and nobody has claimed it. */
  assignee: string | null;
  /** The pool a task is offered to (claim first). */
  candidate: { role: string; unit: string } | null;
  status: TaskStatus;
  outcome: TaskOutcome | null;
  /** Position among the node's tasks; 'sequential' nodes open them in this order. */
  order: number;
  /** Why this task exists when it is not the node's normal handler (e.g. nobody resolved). */
  reason: string | null;
  createdAt: string;
  /** Who added this signer (加签); removable (减签) only then. */
  addedBy?: string | null;
  /** A signer added before the task with this id (前加签): gives an opinion, then that task reopens. */
  beforeOf?: string | null;
  /** Who delegated this task (委派): the delegate hands it back rather than deciding. */
  delegatedBy?: string | null;
  actedBy: string | null;
  actedAt: string | null;
  /** When the node's time limit runs out for this task (ISO instant); null when the node has none. */
  dueAt?: string | null;
}

export const isLive = (t: Task): boolean => t.status === 'open' || t.status === 'waiting';
