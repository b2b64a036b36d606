import type { Application } from '../../domain/application/application.entity.js';
import type { TimeLimitOutcome } from '../../domain/application/process-run.js';
import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { ConditionEvaluator } from '../ports/condition-evaluator.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { engineContextOf } from '../applications/engine-context.js';
import { enqueueConnectorCalls } from '../applications/connector-calls.js';
import { recordCompletion } from '../applications/record-completion.js';

export interface TimeLimitDeps {
  enforcer: PolicyEnforcer;
  conditions: ConditionEvaluator;
  calendar: WorkingCalendar;
}

/**
 * A task's due timer found it still open: its node's `onTimeout` action (approve, reject,
 * escalate) is done by `system` on the application the caller loaded locked, in the caller's
 * transaction, with its audit entry and outbox event (`task.time-limit-passed`). The engine
 * checks again that the task is open and past due, so a handler who acted first wins and a job
 * run twice acts once. Returns what happened; null when nothing did (the task was handled).
 */
export async function actOnTimeLimit(
  deps: TimeLimitDeps,
  scope: TransactionScope,
  a: Application,
  o: { taskId: string; at: Date; jobId: string },
): Promise<TimeLimitOutcome | null> {
  const p = a.current;
  const before = { state: a.state, activeNode: a.activeNode };
  const task = p.tasks.find((t) => t.id === o.taskId);
  const ctx = await engineContextOf(deps, scope.organisation, a, o.at);
  const r = a.onTimeLimitPassed(o.taskId, ctx);
  if (!r.ok) return null;
  if (r.value === 'remind') return 'remind';
  const actor = { personId: 'system', requestId: `job-${o.jobId}` };
  await enqueueConnectorCalls(scope, a);
  await scope.applications.save(a);
  await recordChange(scope, {
    actor,
    action: 'task.time-limit-passed',
    entityType: 'application',
    entityId: a.id,
    unit: a.owningUnit,
    before,
    after: { state: a.state, activeNode: a.activeNode, taskId: o.taskId, outcome: r.value },
    at: o.at,
    event: { taskId: o.taskId, caseNumber: p.caseNumber, node: task?.nodeKey, outcome: r.value },
  });
  await recordCompletion(scope, a, { stateBefore: before.state, actor, at: o.at });
  return r.value;
}
