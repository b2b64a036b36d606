import { InputError, NotAllowedError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { nodeByKey } from '../process-definition/process-definition.js';
import type { EngineContext } from './application-state.js';
import { conflict, type ActionError, type ApplicationRecord } from './application-record.js';
import { settleNode } from './process-run.js';
import { isLive, type Task } from './task.js';

/*
 * Working together on a task: transfer (转办), delegate (委派), add and remove signers (加签/减签),
 * copy to (抄送), comment and urge (催办), form edits at a step, hand-over (交接). The application
 * layer checks that the people named are active staff; the rules of the process are kept here.
 */

/** 转办: my task becomes someone else's, for good. */
export function transfer(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  to: string,
  comment: string | undefined,
  at: Date,
): Result<void, ActionError> {
  const t = handOverCheck(r, taskId, person, to);
  if (!t.ok) return t;
  r.updateTask(t.value, { assignee: to, candidate: null });
  r.log({ actor: person, action: 'transferred', node: t.value.nodeKey, taskId, comment, detail: { to } }, at);
  r.touch(at);
  return ok(undefined);
}

/**
 * 改派: the owning unit's service admin or the IT Office gives a live task (open, or waiting for a
 * signer) of an application in progress to someone else; a pool task nobody claimed becomes that
 * person's, a delegation ends. Who may, and that `to` is active staff, is the application layer's.
 */
export function reassign(
  r: ApplicationRecord,
  taskId: string,
  admin: string,
  to: string,
  reason: string,
  at: Date,
): Result<void, ActionError> {
  const found = r.taskById(taskId);
  if (!found.ok) return found;
  const t = found.value;
  if (r.props.state !== 'in_progress')
    return conflict('APPLICATION.NOT_IN_PROGRESS', `the application is ${r.props.state}`);
  if (!isLive(t)) return conflict('TASK.ALREADY_HANDLED', 'this task has already been handled');
  if (to === r.props.applicant.id)
    return err(
      new InputError('TASK.APPLICANT_AS_HANDLER', 'the applicant cannot handle their own application', [
        { path: '/to', message: 'is the applicant' },
      ]),
    );
  if (to === t.assignee)
    return err(
      new InputError('TASK.SAME_PERSON', 'the task is already theirs', [{ path: '/to', message: 'holds this task' }]),
    );
  if (r.siblingsOf(t).some((s) => s !== t && isLive(s) && s.assignee === to))
    return conflict('TASK.ALREADY_SIGNER', `${to} already has a task at this step`);
  const from = t.assignee ?? (t.candidate ? `${t.candidate.role}@${t.candidate.unit}` : null);
  r.updateTask(t, { assignee: to, candidate: null, delegatedBy: null });
  r.log({ actor: admin, action: 'reassigned', node: t.nodeKey, taskId, detail: { from, to, reason } }, at);
  r.touch(at);
  return ok(undefined);
}

/** 委派: someone works on my task for me and hands it back; I still decide. */
export function delegate(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  to: string,
  comment: string | undefined,
  at: Date,
): Result<void, ActionError> {
  const t = handOverCheck(r, taskId, person, to);
  if (!t.ok) return t;
  r.updateTask(t.value, { delegatedBy: person, assignee: to });
  r.log({ actor: person, action: 'delegated', node: t.value.nodeKey, taskId, comment, detail: { to } }, at);
  r.touch(at);
  return ok(undefined);
}

/** The delegate hands the task back to its owner, with their findings. */
export function resolveDelegation(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  comment: string | undefined,
  at: Date,
): Result<void, ActionError> {
  const t = r.ownTask(taskId, person);
  if (!t.ok) return t;
  if (!t.value.delegatedBy) return conflict('TASK.NOT_DELEGATED', 'this task was not delegated to you');
  const owner = t.value.delegatedBy;
  r.updateTask(t.value, { assignee: owner, delegatedBy: null });
  r.log(
    { actor: person, action: 'delegation-resolved', node: t.value.nodeKey, taskId, comment, detail: { to: owner } },
    at,
  );
  r.touch(at);
  return ok(undefined);
}

/**
 * 加签: 'before' asks someone for an opinion before I decide (my task waits); 'after' adds a
 * countersigner to this step (not in an 'any' step, where the first approval already decides).
 */
export function addSigner(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  who: string,
  position: 'before' | 'after',
  comment: string | undefined,
  ctx: EngineContext,
): Result<void, ActionError> {
  const t = r.decidableTask(taskId, person);
  if (!t.ok) return t;
  const mine = t.value;
  const siblings = r.siblingsOf(mine);
  if (who === r.props.applicant.id)
    return err(
      new InputError('TASK.APPLICANT_AS_SIGNER', 'the applicant cannot sign their own application', [
        { path: '/person', message: 'is the applicant' },
      ]),
    );
  if (siblings.some((s) => isLive(s) && s.assignee === who))
    return conflict('TASK.ALREADY_SIGNER', `${who} already has a task at this step`);
  const mode = nodeByKey(r.definition, mine.nodeKey)?.mode ?? 'any';
  if (position === 'after' && mode === 'any') {
    return conflict(
      'TASK.ADD_SIGNER_NOT_APPLICABLE',
      "in an 'any one' step the first approval decides: add a signer before you, or transfer the task",
    );
  }
  const base = {
    id: ctx.newId(),
    nodeKey: mine.nodeKey,
    activation: mine.activation,
    assignee: who,
    candidate: null,
    outcome: null,
    reason: null,
    createdAt: ctx.at.toISOString(),
    addedBy: person,
    actedBy: null,
    actedAt: null,
    dueAt: mine.dueAt ?? null,
  } as const;
  if (position === 'before') {
    r.addTask({ ...base, status: 'open', order: mine.order, beforeOf: mine.id });
    r.updateTask(mine, { status: 'waiting' });
  } else {
    const last = Math.max(...siblings.map((s) => s.order));
    r.addTask({ ...base, status: mode === 'sequential' ? 'waiting' : 'open', order: last + 1 });
  }
  r.log(
    { actor: person, action: 'signer-added', node: mine.nodeKey, taskId, comment, detail: { who, position } },
    ctx.at,
  );
  r.touch(ctx.at);
  return ok(undefined);
}

/** 减签: a signer someone added, who has not acted yet, is taken off this step. */
export function removeSigner(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  signerTaskId: string,
  ctx: EngineContext,
): Result<void, ActionError> {
  const t = r.ownTask(taskId, person);
  if (!t.ok) return t;
  const target = r.siblingsOf(t.value).find((s) => s.id === signerTaskId);
  if (!target || target.id === taskId) return conflict('TASK.NOT_A_SIGNER_HERE', 'no such pending signer at this step');
  if (!isLive(target)) return conflict('TASK.SIGNER_ALREADY_ACTED', 'this signer has already acted');
  if (!target.addedBy)
    return err(
      new NotAllowedError(
        'TASK.SIGNER_NOT_ADDED',
        'only signers added to the step can be removed; the process definition names the others',
      ),
    );
  // signers the removed one had asked before themselves go with it
  const removed = [target];
  for (let i = 0; i < removed.length; i++) {
    removed.push(...r.props.tasks.filter((x) => isLive(x) && x.beforeOf === removed[i]!.id));
  }
  for (const x of removed) r.cancelTask(x, ctx.at);
  r.log(
    {
      actor: person,
      action: 'signer-removed',
      node: target.nodeKey,
      taskId,
      detail: { who: target.assignee, alsoRemoved: removed.slice(1).map((x) => x.assignee) },
    },
    ctx.at,
  );
  if (target.beforeOf) {
    const owner = r.props.tasks.find((x) => x.id === target.beforeOf);
    if (owner?.status === 'waiting') r.updateTask(owner, { status: 'open' });
  } else {
    settleNode(r, target.nodeKey, target.activation, person, undefined, ctx);
  }
  r.touch(ctx.at);
  return ok(undefined);
}

/** 抄送: named people may read the application (and nothing more). */
export function copyTo(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  people: readonly string[],
  at: Date,
): Result<void, ActionError> {
  const t = r.ownTask(taskId, person);
  if (!t.ok) return t;
  const added = people.filter((p, i) => !r.props.copiedTo.includes(p) && people.indexOf(p) === i);
  if (added.length) r.set('copiedTo', [...r.props.copiedTo, ...added]);
  r.log({ actor: person, action: 'copied', node: t.value.nodeKey, taskId, detail: { to: [...people] } }, at);
  r.touch(at);
  return ok(undefined);
}

/** A comment on the application; handlers may keep theirs private (never shown to the applicant). */
export function comment(
  r: ApplicationRecord,
  person: string,
  text: string,
  isPrivate: boolean,
  at: Date,
): Result<void, ActionError> {
  if (isPrivate && person === r.props.applicant.id)
    return err(
      new InputError('APPLICATION.PRIVATE_NOTE', 'applicants cannot write private notes', [
        { path: '/private', message: 'must be false for the applicant' },
      ]),
    );
  r.log(
    {
      actor: person,
      action: 'commented',
      comment: text,
      ...(isPrivate ? { private: true } : {}),
      node: r.props.activeNode ?? undefined,
    },
    at,
  );
  r.touch(at);
  return ok(undefined);
}

/**
 * 催办: reminds the holders of the current step; at most once per `windowMinutes` per person.
 * `lastUrgedAt`: when this person last urged this application, if ever (from its history).
 */
export function urge(
  r: ApplicationRecord,
  person: string,
  lastUrgedAt: Date | null,
  windowMinutes: number,
  at: Date,
): Result<{ holders: Array<string | { role: string; unit: string }> }, ActionError> {
  if (r.props.state !== 'in_progress')
    return conflict('APPLICATION.NOT_IN_PROGRESS', `the application is ${r.props.state}`);
  if (lastUrgedAt && at.getTime() - lastUrgedAt.getTime() < windowMinutes * 60_000) {
    return conflict('APPLICATION.URGED_RECENTLY', `you urged this application less than ${windowMinutes} minutes ago`);
  }
  const holders = r.props.tasks.filter((x) => x.status === 'open').map((x) => x.assignee ?? x.candidate!);
  r.log({ actor: person, action: 'urged', node: r.props.activeNode ?? undefined, detail: { holders } }, at);
  r.touch(at);
  return ok({ holders });
}

/** Form edits at a step: only the fields the node lets its handlers edit. */
export function editAtStep(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  edits: Record<string, unknown>,
  at: Date,
): Result<void, ActionError> {
  const t = r.decidableTask(taskId, person);
  if (!t.ok) return t;
  const editable = nodeByKey(r.definition, t.value.nodeKey)?.fields?.editable ?? [];
  const refused = Object.keys(edits).filter((k) => !editable.includes(k));
  if (refused.length) {
    return err(
      new InputError(
        'TASK.FIELD_NOT_EDITABLE',
        'this step may not edit some of these fields',
        refused.map((k) => ({
          path: `/form/${k}`,
          message: `not editable at this step (editable: ${editable.join(', ') || 'none'})`,
        })),
      ),
    );
  }
  r.set('form', { ...r.props.form, ...edits });
  r.log(
    { actor: person, action: 'form-edited', node: t.value.nodeKey, taskId, detail: { fields: Object.keys(edits) } },
    at,
  );
  r.touch(at);
  return ok(undefined);
}

/**
 * The unit whose work a task is: its pool's unit; else the unit of its node's handler role (the
 * applicant's own unit for '$applicant.*'); else (people named by the process) the owning unit.
 * '*' for a university-wide role.
 */
export function unitOfTask(r: ApplicationRecord, t: Task): string {
  if (t.candidate) return t.candidate.unit;
  const rule = r.definition.nodes.find((n) => n.key === t.nodeKey)?.handlers;
  if (rule?.type === 'role') return rule.unit.startsWith('$applicant.') ? r.props.applicant.unit : rule.unit;
  return r.props.owningUnit;
}

/**
 * 交接: a person leaves or changes post. Each live task they hold goes to the successor, or back
 * to its pool (a named task to the escalation pool); a task they delegated comes back to its
 * owner's successor; a task delegated to them goes back to the person who delegated it. A
 * successor who is the applicant, or already holds a sibling task, does not take it: it goes back
 * to its pool. With `inUnit` (a change of post), only the tasks that are that unit's work move.
 */
export function handOver(
  r: ApplicationRecord,
  from: string,
  successor: string | null,
  escalation: { role: string; unit: string },
  at: Date,
  inUnit?: string,
): Array<{ taskId: string; node: string; to: string }> {
  const moved: Array<{ taskId: string; node: string; to: string }> = [];
  for (const t of r.props.tasks.filter(isLive)) {
    if (inUnit !== undefined && unitOfTask(r, t) !== inUnit) continue;
    let owner: string | null = null;
    if (t.assignee === from && t.delegatedBy) {
      r.updateTask(t, { assignee: t.delegatedBy, delegatedBy: null });
    } else if (t.assignee === from) {
      const able =
        successor !== null &&
        successor !== r.props.applicant.id &&
        !r.siblingsOf(t).some((s) => s !== t && isLive(s) && s.assignee === successor);
      if (able) r.updateTask(t, { assignee: successor });
      else r.updateTask(t, { assignee: null, candidate: t.candidate ?? escalation, reason: 'HANDOVER' });
    } else if (t.delegatedBy === from) {
      r.updateTask(t, { delegatedBy: successor });
      owner = successor ?? t.assignee;
    } else continue;
    const to = owner ?? t.assignee ?? `${t.candidate!.role}@${t.candidate!.unit}`;
    moved.push({ taskId: t.id, node: t.nodeKey, to });
    r.log({ actor: 'system', action: 'handed-over', node: t.nodeKey, taskId: t.id, detail: { from, to } }, at);
  }
  if (moved.length) r.touch(at);
  return moved;
}

/** What the business system answered for a transfer node (or that it could not be reached). */
export function recordConnectorOutcome(
  r: ApplicationRecord,
  o: { node: string; connector: string; succeeded: boolean; reference?: string | null; error?: string },
  at: Date,
): void {
  r.log(
    {
      actor: 'system',
      action: o.succeeded ? 'connector-succeeded' : 'connector-failed',
      node: o.node,
      detail: { connector: o.connector, ...(o.succeeded ? { reference: o.reference ?? null } : { error: o.error }) },
    },
    at,
  );
  r.touch(at);
}

function handOverCheck(r: ApplicationRecord, taskId: string, person: string, to: string): Result<Task, ActionError> {
  const t = r.decidableTask(taskId, person);
  if (!t.ok) return t;
  if (to === person)
    return err(
      new InputError('TASK.SAME_PERSON', 'hand the task to someone else', [{ path: '/to', message: 'is you' }]),
    );
  if (to === r.props.applicant.id)
    return err(
      new InputError('TASK.APPLICANT_AS_HANDLER', 'the applicant cannot handle their own application', [
        { path: '/to', message: 'is the applicant' },
      ]),
    );
  if (r.siblingsOf(t.value).some((s) => isLive(s) && s.assignee === to))
    return conflict('TASK.ALREADY_SIGNER', `${to} already has a task at this step`);
  return t;
}
