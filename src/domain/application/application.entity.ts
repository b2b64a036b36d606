import type { Result } from '../shared/result.js';
import type { ProcessDefinition } from '../process-definition/process-definition.js';
import type { ApplicationState, EngineContext, HistoryEntry } from './application-state.js';
import {
  ApplicationRecord,
  type ActionError,
  type Applicant,
  type ApplicationChanges,
  type ApplicationProps,
} from './application-record.js';
import * as run from './process-run.js';
import * as collaboration from './collaboration.js';
import { moveToVersion } from './version-move.js';
import type { Task } from './task.js';

export type { Applicant, ApplicationProps, ActionError, ApplicationChanges } from './application-record.js';

type Outcome = Result<void, ActionError>;

/**
 * An application (办件) and its process run: the aggregate. Its state is held once and changed only
 * through the engine's modules (the run, collaboration), which record every change as they make it.
 * Nothing is copied on load or on save.
 */
export class Application {
  private constructor(private readonly record: ApplicationRecord) {}

  /** Takes ownership of `props` (the repository builds them fresh from its rows). */
  static restore(props: ApplicationProps, definition: ProcessDefinition): Application {
    return new Application(new ApplicationRecord(props, definition));
  }

  static draft(
    i: {
      id: string;
      itemId: string;
      owningUnit: string;
      versionId: string;
      applicant: Applicant;
      form: Record<string, unknown>;
      at: Date;
    },
    definition: ProcessDefinition,
  ): Application {
    const a = new Application(
      new ApplicationRecord(
        {
          id: i.id,
          caseNumber: null,
          itemId: i.itemId,
          owningUnit: i.owningUnit,
          versionId: i.versionId,
          applicant: i.applicant,
          form: i.form,
          state: 'draft',
          activeNode: null,
          activeNodes: [],
          waitingJoins: [],
          activations: {},
          passedNodes: [],
          tasks: [],
          copiedTo: [],
          lastSeq: 0,
          lockVersion: 0,
          createdAt: i.at,
          updatedAt: i.at,
          submittedAt: null,
          endedAt: null,
        },
        definition,
      ),
    );
    a.record.log({ actor: i.applicant.id, action: 'saved' }, i.at);
    return a;
  }

  get id(): string {
    return this.record.props.id;
  }
  get state(): ApplicationState {
    return this.record.props.state;
  }
  get applicantId(): string {
    return this.record.props.applicant.id;
  }
  get activeNode(): string | null {
    return this.record.props.activeNode;
  }
  get activeNodes(): readonly string[] {
    return this.record.props.activeNodes;
  }
  get tasks(): readonly Task[] {
    return this.record.props.tasks;
  }
  get lockVersion(): number {
    return this.record.props.lockVersion;
  }
  get owningUnit(): string {
    return this.record.props.owningUnit;
  }
  /** The process definition of the version this application runs on. */
  get process(): ProcessDefinition {
    return this.record.definition;
  }
  /** The application as it stands (read-only; not a copy). */
  get current(): Readonly<ApplicationProps> {
    return this.record.props;
  }
  /** What changed since it was loaded or last saved. */
  get changes(): Readonly<ApplicationChanges> {
    return this.record.changes;
  }
  /** History entries recorded since it was loaded (saved or not): what this request's actions did. */
  get recorded(): readonly HistoryEntry[] {
    return this.record.recordedSinceLoad;
  }
  /** Whether anything changed since it was loaded or last saved. */
  get changed(): boolean {
    return this.record.changes.fields.size > 0 || this.record.changes.tasks.size > 0;
  }

  markSaved(lockVersion: number): void {
    this.record.saved(lockVersion);
  }

  edit(form: Record<string, unknown>, at: Date): Outcome {
    return run.edit(this.record, form, at);
  }
  submit(caseNumber: string, ctx: EngineContext): Outcome {
    return run.submit(this.record, caseNumber, ctx);
  }
  claim(taskId: string, person: string, holdsPool: boolean, at: Date): Outcome {
    return run.claim(this.record, taskId, person, holdsPool, at);
  }
  unclaim(taskId: string, person: string, at: Date): Outcome {
    return run.unclaim(this.record, taskId, person, at);
  }
  approve(taskId: string, person: string, comment: string | undefined, ctx: EngineContext): Outcome {
    return run.decide(this.record, taskId, person, 'approved', comment, ctx);
  }
  reject(taskId: string, person: string, reason: string, ctx: EngineContext): Outcome {
    return run.decide(this.record, taskId, person, 'rejected', reason, ctx);
  }
  returnTo(taskId: string, person: string, target: string, comment: string, ctx: EngineContext): Outcome {
    return run.returnTo(this.record, taskId, person, target, comment, ctx);
  }
  takeBack(taskId: string, person: string, ctx: EngineContext): Outcome {
    return run.takeBack(this.record, taskId, person, ctx);
  }
  jumpTo(person: string, target: string, reason: string, ctx: EngineContext): Outcome {
    return run.jumpTo(this.record, person, target, reason, ctx);
  }
  moveToVersion(
    target: { versionId: string; definition: ProcessDefinition },
    mapping: Readonly<Record<string, string>>,
    person: string,
    reason: string,
    ctx: EngineContext,
  ): Outcome {
    return moveToVersion(this.record, target, mapping, person, reason, ctx);
  }
  /** The task's time limit has passed: its node's `onTimeout` action, by the system. */
  onTimeLimitPassed(taskId: string, ctx: EngineContext): Result<run.TimeLimitOutcome, ActionError> {
    return run.onTimeLimitPassed(this.record, taskId, ctx);
  }
  withdraw(person: string, at: Date): Outcome {
    return run.withdraw(this.record, person, at);
  }
  cancel(person: string, reason: string, at: Date): Outcome {
    return run.cancel(this.record, person, reason, at);
  }
  cancelByAdmin(person: string, reason: string, at: Date): Outcome {
    return run.cancelByAdmin(this.record, person, reason, at);
  }

  transfer(taskId: string, person: string, to: string, comment: string | undefined, at: Date): Outcome {
    return collaboration.transfer(this.record, taskId, person, to, comment, at);
  }
  reassign(taskId: string, admin: string, to: string, reason: string, at: Date): Outcome {
    return collaboration.reassign(this.record, taskId, admin, to, reason, at);
  }
  delegate(taskId: string, person: string, to: string, comment: string | undefined, at: Date): Outcome {
    return collaboration.delegate(this.record, taskId, person, to, comment, at);
  }
  resolveDelegation(taskId: string, person: string, comment: string | undefined, at: Date): Outcome {
    return collaboration.resolveDelegation(this.record, taskId, person, comment, at);
  }
  addSigner(
    taskId: string,
    person: string,
    who: string,
    position: 'before' | 'after',
    comment: string | undefined,
    ctx: EngineContext,
  ): Outcome {
    return collaboration.addSigner(this.record, taskId, person, who, position, comment, ctx);
  }
  removeSigner(taskId: string, person: string, signerTaskId: string, ctx: EngineContext): Outcome {
    return collaboration.removeSigner(this.record, taskId, person, signerTaskId, ctx);
  }
  copyTo(taskId: string, person: string, people: readonly string[], at: Date): Outcome {
    return collaboration.copyTo(this.record, taskId, person, people, at);
  }
  comment(person: string, text: string, isPrivate: boolean, at: Date): Outcome {
    return collaboration.comment(this.record, person, text, isPrivate, at);
  }
  urge(
    person: string,
    lastUrgedAt: Date | null,
    windowMinutes: number,
    at: Date,
  ): ReturnType<typeof collaboration.urge> {
    return collaboration.urge(this.record, person, lastUrgedAt, windowMinutes, at);
  }
  editAtStep(taskId: string, person: string, edits: Record<string, unknown>, at: Date): Outcome {
    return collaboration.editAtStep(this.record, taskId, person, edits, at);
  }
  handOver(
    from: string,
    successor: string | null,
    escalation: { role: string; unit: string },
    at: Date,
    inUnit?: string,
  ): ReturnType<typeof collaboration.handOver> {
    return collaboration.handOver(this.record, from, successor, escalation, at, inUnit);
  }
  recordConnectorOutcome(o: Parameters<typeof collaboration.recordConnectorOutcome>[1], at: Date): void {
    collaboration.recordConnectorOutcome(this.record, o, at);
  }
}
