import type { ApplicationState } from '../../domain/application/application-state.js';
import { DomainError, InputError, type FieldProblem } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { ActOnTaskUseCase } from './act-on-task.use-case.js';

/** The actions a handler may take on many tasks at once: the ones that need nothing but the task. */
export const BATCH_ACTIONS = ['approve', 'claim'] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];
export const BATCH_MAX_TASKS = 50;

export type BatchOutcome =
  | { taskId: string; ok: true; applicationId: string; state: ApplicationState }
  | { taskId: string; ok: false; error: DomainError };

/**
 * 批量审批 / 批量认领: each task is acted on by ActOnTaskUseCase in its own transaction, one after the
 * other in the order given, so each has its own audit entry and event, and one refused (not mine,
 * already handled, changed meanwhile) neither undoes nor stops the others. The answer says, per task,
 * what happened. A list that is empty, too long, repeats a task or gives a comment to a claim is
 * refused whole, before anything is done.
 */
export class BatchTaskActionsUseCase {
  constructor(private readonly deps: { actOnTask: ActOnTaskUseCase }) {}

  async execute(input: {
    actor: Actor;
    action: BatchAction;
    taskIds: readonly string[];
    comment?: string;
  }): Promise<Result<{ results: BatchOutcome[] }, InputError>> {
    const checked = this.check(input);
    if (!checked.ok) return checked;
    const results: BatchOutcome[] = [];
    for (const taskId of input.taskIds) {
      try {
        const r = await this.deps.actOnTask.execute(
          input.action === 'approve'
            ? {
                actor: input.actor,
                taskId,
                action: 'approve',
                ...(input.comment !== undefined ? { comment: input.comment } : {}),
              }
            : { actor: input.actor, taskId, action: 'claim' },
        );
        results.push(
          r.ok
            ? { taskId, ok: true, applicationId: r.value.id, state: r.value.state }
            : { taskId, ok: false, error: r.error },
        );
      } catch (e) {
        // a business failure found at commit (e.g. a concurrent change) is this task's; a fault is everyone's
        if (!(e instanceof DomainError)) throw e;
        results.push({ taskId, ok: false, error: e });
      }
    }
    return ok({ results });
  }

  private check(input: { action: string; taskIds: readonly string[]; comment?: string }): Result<void, InputError> {
    const problems: FieldProblem[] = [];
    if (input.taskIds.length < 1 || input.taskIds.length > BATCH_MAX_TASKS)
      problems.push({ path: '/taskIds', message: `between 1 and ${BATCH_MAX_TASKS} task ids` });
    input.taskIds.forEach((id, i) => {
      if (input.taskIds.indexOf(id) !== i)
        problems.push({ path: `/taskIds/${i}`, message: `repeats task ${id} (index ${input.taskIds.indexOf(id)})` });
    });
    if (input.action !== 'approve' && input.comment !== undefined)
      problems.push({ path: '/comment', message: `only an approval takes a comment, not a ${input.action}` });
    return problems.length ? err(new InputError('TASK.BAD_BATCH', 'the batch is not valid', problems)) : ok(undefined);
  }
}
