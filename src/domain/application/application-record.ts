import { ConflictError, NotAllowedError, type InputError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { ProcessDefinition } from '../process-definition/process-definition.js';
import type { ApplicationState, HistoryEntry } from './application-state.js';
import { isLive, type Task } from './task.js';

export interface Applicant {
  id: string;
  type: 'staff' | 'student';
  unit: string;
}

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
  /** The first of `activeNodes` (null when none): where list views say it waits. */
  activeNode: string | null;
  /** The steps it waits at, in definition order: several while parallel branches run. */
  activeNodes: string[];
  /** Join gateways some branch has arrived at, waiting for the branches that can still reach them. */
  waitingJoins: string[];
  /** Activations so far, per node key. */
  activations: Record<string, number>;
  /** Nodes passed in this run, in order: the only targets a return may go back to. */
  passedNodes: string[];
  tasks: Task[];
  /** People given read-only sight of the application (抄送). */
  copiedTo: string[];
  /** The seq of the last history entry: the history itself is appended, never loaded whole. */
  lastSeq: number;
  lockVersion: number;
  createdAt: Date;
  updatedAt: Date;
  /** When it was first submitted (受理): null for a draft. A resubmission after a return keeps it. */
  submittedAt: Date | null;
  /** When it ended: completed (办结), rejected, withdrawn or cancelled; null while it runs. */
  endedAt: Date | null;
}

/** The application's own fields (not its tasks, not its history) that a change may touch. */
export type ApplicationField = Exclude<keyof ApplicationProps, 'tasks' | 'lockVersion' | 'id'>;

/** Whether a task was open with a due time before this change: its reminders follow the difference. */
export interface TaskBefore {
  status: Task['status'];
  dueAt: string | null;
}

/**
 * What changed since the aggregate was loaded (or last saved), recorded as it happens: the
 * repository writes exactly this, with no diffing and no copy of the aggregate.
 */
export interface ApplicationChanges {
  /** History entries appended, in order. */
  readonly recorded: HistoryEntry[];
  /** Fields of the application itself that were set. */
  readonly fields: Set<ApplicationField>;
  /** Tasks created or changed, with what they were before (null: created by this change). */
  readonly tasks: Map<string, TaskBefore | null>;
}

export type ActionError = ConflictError | NotAllowedError | InputError;

export const conflict = (code: string, message: string) => err(new ConflictError(code, message));

/**
 * The one state of an application and the small rules every topic of the engine shares (which
 * task may be acted on by whom), with every change recorded as it is made. The process run and
 * collaboration are modules of functions over it.
 */
export class ApplicationRecord {
  readonly changes: ApplicationChanges = { recorded: [], fields: new Set(), tasks: new Map() };
  /** Every entry recorded since the application was loaded, saved or not (what the actions of this request did). */
  readonly recordedSinceLoad: HistoryEntry[] = [];

  constructor(
    readonly props: ApplicationProps,
    private process: ProcessDefinition,
  ) {}

  /** The process of the version the application runs on. */
  get definition(): ProcessDefinition {
    return this.process;
  }

  /** Moves the application to another version's process (the version move records it). */
  runOn(versionId: string, definition: ProcessDefinition): void {
    this.set('versionId', versionId);
    this.process = definition;
  }

  set<K extends ApplicationField>(field: K, value: ApplicationProps[K]): void {
    this.props[field] = value;
    this.changes.fields.add(field);
  }

  addTask(t: Task): void {
    this.props.tasks.push(t);
    if (!this.changes.tasks.has(t.id)) this.changes.tasks.set(t.id, null);
  }

  updateTask(t: Task, patch: Partial<Omit<Task, 'id'>>): void {
    if (!this.changes.tasks.has(t.id)) this.changes.tasks.set(t.id, { status: t.status, dueAt: t.dueAt ?? null });
    Object.assign(t, patch);
  }

  log(e: Omit<HistoryEntry, 'seq' | 'at'>, at: Date): void {
    const clean = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Omit<
      HistoryEntry,
      'seq' | 'at'
    >;
    this.set('lastSeq', this.props.lastSeq + 1);
    const entry = { seq: this.props.lastSeq, at: at.toISOString(), ...clean };
    this.changes.recorded.push(entry);
    this.recordedSinceLoad.push(entry);
  }

  touch(at: Date): void {
    this.set('updatedAt', at);
  }

  /** After a save: the next change starts from here. */
  saved(lockVersion: number): void {
    this.props.lockVersion = lockVersion;
    this.changes.recorded.length = 0;
    this.changes.fields.clear();
    this.changes.tasks.clear();
  }

  closeLiveTasks(at: Date): void {
    for (const t of this.props.tasks) if (isLive(t)) this.cancelTask(t, at);
  }

  cancelTask(t: Task, at: Date): void {
    this.updateTask(t, { status: 'cancelled', actedAt: t.actedAt ?? at.toISOString() });
  }

  siblingsOf(task: Task): Task[] {
    return this.props.tasks.filter((x) => x.nodeKey === task.nodeKey && x.activation === task.activation);
  }

  taskById(taskId: string): Result<Task, ActionError> {
    const t = this.props.tasks.find((x) => x.id === taskId);
    return t ? ok(t) : conflict('TASK.NOT_FOUND', `task '${taskId}' is not part of this application`);
  }

  /** The task is open on an application in progress. */
  stillOpen(t: Task): Result<Task, ActionError> {
    if (t.status !== 'open' || this.props.state !== 'in_progress')
      return conflict('TASK.ALREADY_HANDLED', 'this task has already been handled or is not open');
    return ok(t);
  }

  /**
   * An open task of `person`. Whose it is comes first: someone the task is not theirs is refused
   * (403) whatever its state, and learns nothing of it; only its holder hears it was handled (409).
   */
  ownTask(taskId: string, person: string): Result<Task, ActionError> {
    const found = this.taskById(taskId);
    if (!found.ok) return found;
    const t = found.value;
    if (t.assignee !== person) {
      return err(
        new NotAllowedError(
          'TASK.NOT_YOURS',
          t.assignee === null && t.status === 'open' ? 'claim this task first' : 'this task is not yours',
        ),
      );
    }
    return this.stillOpen(t);
  }

  /** An own open task its holder may decide on: a delegated task goes back to its owner first. */
  decidableTask(taskId: string, person: string): Result<Task, ActionError> {
    const t = this.ownTask(taskId, person);
    if (t.ok && t.value.delegatedBy)
      return conflict(
        'TASK.DELEGATED',
        'a delegated task is handed back to the person who delegated it, who then decides',
      );
    return t;
  }
}
