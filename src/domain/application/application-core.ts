import { ConflictError, NotAllowedError, type InputError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { ProcessDefinition } from '../process-definition/process-definition.js';
import type { ApplicationState, HistoryEntry } from './application-state.js';
import { isLive, type Task } from './task.js';

export interface Applicant { id: string; type: 'staff' | 'student'; unit: string }

export interface ApplicationProps {
  id: string;
  caseNumber: string | null;
  itemId: string;
  /** The item's owning unit: where escalations go and whose admins supervise. */
  owningUnit: string;
  /** The version the application started on; it finishes on it whatever happens to the item. */
  versionId: string;
  applicant: Applicant;
  form: Record<string, unknown>;
  state: ApplicationState;
  activeNode: string | null;
  /** Activations so far, per node key. */
  activations: Record<string, number>;
  /** Nodes passed in this run, in order: the only targets a return may go back to. */
  passedNodes: string[];
  tasks: Task[];
  /** People given read-only sight of the application (抄送). */
  copiedTo: string[];
  history: HistoryEntry[];
  lockVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ActionError = ConflictError | NotAllowedError | InputError;

export const conflict = (code: string, message: string) => err(new ConflictError(code, message));

/** State and the small shared rules of an application; the process run and collaboration build on it. */
export abstract class ApplicationCore {
  protected constructor(protected props: ApplicationProps, protected readonly definition: ProcessDefinition) {}

  get id(): string { return this.props.id; }
  get state(): ApplicationState { return this.props.state; }
  get applicantId(): string { return this.props.applicant.id; }
  get activeNode(): string | null { return this.props.activeNode; }
  get tasks(): readonly Task[] { return this.props.tasks; }
  get history(): readonly HistoryEntry[] { return this.props.history; }
  get lockVersion(): number { return this.props.lockVersion; }
  get owningUnit(): string { return this.props.owningUnit; }
  /** The process definition of the version this application runs on. */
  get process(): ProcessDefinition { return this.definition; }

  snapshot(): ApplicationProps { return structuredClone(this.props); }
  markSaved(lockVersion: number): void { this.props.lockVersion = lockVersion; }

  protected closeLiveTasks(at: Date): void {
    for (const t of this.props.tasks) if (isLive(t)) this.cancelTask(t, at);
  }
  protected cancelTask(t: Task, at: Date): void {
    t.status = 'cancelled';
    t.actedAt ??= at.toISOString();
  }
  protected openTask(taskId: string): Result<Task, ActionError> {
    const t = this.props.tasks.find((x) => x.id === taskId);
    if (!t) return conflict('TASK.NOT_FOUND', `task '${taskId}' is not part of this application`);
    if (t.status !== 'open' || this.props.state !== 'in_progress') return conflict('TASK.ALREADY_HANDLED', 'this task has already been handled or is not open');
    return ok(t);
  }
  protected ownTask(taskId: string, person: string): Result<Task, ActionError> {
    const t = this.openTask(taskId);
    if (!t.ok) return t;
    if (t.value.assignee !== person) {
      return err(new NotAllowedError('TASK.NOT_YOURS', t.value.assignee === null ? 'claim this task first' : 'this task is assigned to someone else'));
    }
    return t;
  }
  /** An own open task its holder may decide on: a delegated task goes back to its owner first. */
  protected decidableTask(taskId: string, person: string): Result<Task, ActionError> {
    const t = this.ownTask(taskId, person);
    if (t.ok && t.value.delegatedBy) return conflict('TASK.DELEGATED', 'a delegated task is handed back to the person who delegated it, who then decides');
    return t;
  }

  protected log(e: Omit<HistoryEntry, 'seq' | 'at'>, at: Date): void {
    const clean = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Omit<HistoryEntry, 'seq' | 'at'>;
    this.props.history.push({ seq: this.props.history.length + 1, at: at.toISOString(), ...clean });
  }
  protected touch(at: Date): void { this.props.updatedAt = at; }
}
