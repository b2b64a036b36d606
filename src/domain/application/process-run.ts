import { InputError, NotAllowedError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import {
  nodeByKey,
  startNode,
  successors,
  type ProcessNodeDefinition,
} from '../process-definition/process-definition.js';
import { isTerminal, type EngineContext } from './application-state.js';
import { conflict, type ActionError, type ApplicationRecord } from './application-record.js';
import { nodeOutcome } from './node-outcome.js';
import { isLive } from './task.js';

/*
 * The process run of an application: submission, decisions, returns and endings. Pure: every action
 * either changes the application consistently or returns an error and changes nothing.
 */

/** Replaces the form of a draft (or of an application returned to its applicant). */
export function edit(r: ApplicationRecord, form: Record<string, unknown>, at: Date): Result<void, ActionError> {
  if (r.props.state !== 'draft' && r.props.state !== 'returned')
    return conflict('APPLICATION.NOT_EDITABLE', `the application is ${r.props.state}`);
  r.set('form', form);
  r.touch(at);
  return ok(undefined);
}

/** 提交: a draft, or a returned application, starts (again) at the first node after the start. */
export function submit(r: ApplicationRecord, caseNumber: string, ctx: EngineContext): Result<void, ActionError> {
  if (r.props.state !== 'draft' && r.props.state !== 'returned')
    return conflict('APPLICATION.NOT_SUBMITTABLE', `the application is ${r.props.state}`);
  if (r.props.caseNumber === null) r.set('caseNumber', caseNumber);
  if (r.props.submittedAt === null) r.set('submittedAt', ctx.at);
  r.set('state', 'in_progress');
  const start = startNode(r.definition).key;
  r.set('passedNodes', [start]);
  r.log({ actor: r.props.applicant.id, action: 'submitted' }, ctx.at);
  advanceFrom(r, start, ctx);
  return ok(undefined);
}

export function claim(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  holdsPool: boolean,
  at: Date,
): Result<void, ActionError> {
  const found = r.taskById(taskId);
  if (!found.ok) return found;
  const task = found.value;
  // whose it may be comes before its state: someone it is not offered to learns nothing of it
  if (person === r.props.applicant.id)
    return err(new NotAllowedError('TASK.OWN_APPLICATION', 'nobody handles their own application'));
  if (task.assignee !== person && !(task.candidate && holdsPool))
    return err(new NotAllowedError('TASK.NOT_CANDIDATE', 'this task is not offered to you'));
  const t = r.stillOpen(task);
  if (!t.ok) return t;
  if (t.value.assignee)
    return conflict(
      'TASK.ALREADY_CLAIMED',
      t.value.assignee === person ? 'you have already claimed this task' : 'someone else has claimed this task',
    );
  r.updateTask(t.value, { assignee: person });
  r.log({ actor: person, action: 'claimed', node: t.value.nodeKey, taskId }, at);
  r.touch(at);
  return ok(undefined);
}

export function unclaim(r: ApplicationRecord, taskId: string, person: string, at: Date): Result<void, ActionError> {
  const t = r.decidableTask(taskId, person);
  if (!t.ok) return t;
  if (!t.value.candidate)
    return conflict('TASK.NOT_POOLED', 'this task was assigned to you by name and cannot go back to a pool');
  r.updateTask(t.value, { assignee: null });
  r.log({ actor: person, action: 'unclaimed', node: t.value.nodeKey, taskId }, at);
  r.touch(at);
  return ok(undefined);
}

/** 通过 / 驳回 on my task; the node then passes, rejects, or waits for its other signers. */
export function decide(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  outcome: 'approved' | 'rejected',
  comment: string | undefined,
  ctx: EngineContext,
): Result<void, ActionError> {
  const t = r.decidableTask(taskId, person);
  if (!t.ok) return t;
  const task = t.value;
  r.updateTask(task, { status: 'done', outcome, actedBy: person, actedAt: ctx.at.toISOString() });
  if (task.beforeOf) {
    // an opinion for the signer who asked for it: their task reopens, the node does not move
    r.log(
      { actor: person, action: 'signer-opinion', node: task.nodeKey, taskId, comment, detail: { outcome } },
      ctx.at,
    );
    const owner = r.props.tasks.find((x) => x.id === task.beforeOf);
    if (owner?.status === 'waiting') r.updateTask(owner, { status: 'open' });
    r.touch(ctx.at);
    return ok(undefined);
  }
  r.log({ actor: person, action: outcome, node: task.nodeKey, taskId, comment }, ctx.at);
  settleNode(r, task.nodeKey, task.activation, person, comment, ctx);
  r.touch(ctx.at);
  return ok(undefined);
}

/** 退回: to the applicant, or to any node this run has actually passed. Every live task closes. */
export function returnTo(
  r: ApplicationRecord,
  taskId: string,
  person: string,
  target: string,
  comment: string,
  ctx: EngineContext,
): Result<void, ActionError> {
  const t = r.decidableTask(taskId, person);
  if (!t.ok) return t;
  const toApplicant = target === 'applicant' || target === startNode(r.definition).key;
  if (!toApplicant && !r.props.passedNodes.includes(target)) {
    return err(
      new InputError(
        'APPLICATION.RETURN_TARGET_NOT_PASSED',
        'an application can only be returned to a node it has passed',
        [
          {
            path: '/target',
            message: `node '${target}' has not been passed (passed: ${r.props.passedNodes.join(', ')})`,
          },
        ],
      ),
    );
  }
  r.closeLiveTasks(ctx.at);
  r.log(
    {
      actor: person,
      action: 'returned',
      node: t.value.nodeKey,
      taskId,
      comment,
      detail: { target: toApplicant ? 'applicant' : target },
    },
    ctx.at,
  );
  if (toApplicant) {
    r.set('state', 'returned');
    r.set('activeNode', null);
    r.set('passedNodes', []);
  } else {
    r.set('passedNodes', r.props.passedNodes.slice(0, r.props.passedNodes.indexOf(target)));
    activate(r, nodeByKey(r.definition, target)!, ctx);
  }
  r.touch(ctx.at);
  return ok(undefined);
}

/** 撤回: the applicant takes the application back while nobody has acted on the current node. */
export function withdraw(r: ApplicationRecord, person: string, at: Date): Result<void, ActionError> {
  if (person !== r.props.applicant.id)
    return err(new NotAllowedError('APPLICATION.NOT_APPLICANT', 'only the applicant may withdraw'));
  if (r.props.state !== 'in_progress')
    return conflict('APPLICATION.NOT_WITHDRAWABLE', `the application is ${r.props.state}`);
  const node = r.props.activeNode;
  const acted = r.props.tasks.some(
    (t) => t.nodeKey === node && t.activation === r.props.activations[node ?? ''] && t.outcome !== null,
  );
  if (acted)
    return conflict(
      'APPLICATION.HANDLER_ALREADY_ACTED',
      'a handler has already acted on the current step; ask for a return or cancel instead',
    );
  return end(r, 'withdrawn', person, undefined, at);
}

/** 撤销: the applicant ends the application before completion, with a reason. */
export function cancel(r: ApplicationRecord, person: string, reason: string, at: Date): Result<void, ActionError> {
  if (person !== r.props.applicant.id)
    return err(new NotAllowedError('APPLICATION.NOT_APPLICANT', 'only the applicant may cancel'));
  if (isTerminal(r.props.state) || r.props.state === 'draft')
    return conflict('APPLICATION.NOT_CANCELLABLE', `the application is ${r.props.state}`);
  return end(r, 'cancelled', person, reason, at);
}

/** After a decision or a removed signer: the node passes, rejects, or opens its next waiting task. */
export function settleNode(
  r: ApplicationRecord,
  nodeKey: string,
  activation: number,
  person: string,
  comment: string | undefined,
  ctx: EngineContext,
): void {
  const node = nodeByKey(r.definition, nodeKey)!;
  const siblings = r.props.tasks.filter((x) => x.nodeKey === node.key && x.activation === activation);
  const result = nodeOutcome(node.mode ?? 'any', node.passRatio, siblings);
  if (result === 'rejected') {
    end(r, 'rejected', person, comment, ctx.at);
  } else if (result === 'passed') {
    for (const s of siblings) if (isLive(s)) r.cancelTask(s, ctx.at);
    r.set('passedNodes', [...r.props.passedNodes, node.key]);
    r.log({ actor: person, action: 'node-passed', node: node.key }, ctx.at);
    advanceFrom(r, node.key, ctx, person);
  } else {
    const next = siblings.filter((s) => s.status === 'waiting').sort((a, b) => a.order - b.order)[0];
    if (next && !siblings.some((s) => s.status === 'open')) r.updateTask(next, { status: 'open' });
  }
}

/** Moves to the next node that applies, skipping (and recording) those whose condition is false. */
function advanceFrom(r: ApplicationRecord, key: string, ctx: EngineContext, previousApprover?: string): void {
  let candidates = successors(r.definition, key);
  while (candidates.length) {
    const node = candidates
      .map((k) => nodeByKey(r.definition, k)!)
      .find((n) => ctx.applies(n.key) && !applicantSkips(r, n, ctx));
    if (node) return activate(r, node, ctx, previousApprover);
    for (const k of candidates) {
      const reason = ctx.applies(k) ? 'the applicant is an approver of this step' : 'condition not met';
      r.log({ actor: 'system', action: 'node-skipped', node: k, detail: { reason } }, ctx.at);
    }
    candidates = successors(r.definition, candidates[0]!);
  }
  r.set('activeNode', null);
  r.set('state', 'completed');
  r.set('endedAt', ctx.at);
  r.log({ actor: 'system', action: 'completed' }, ctx.at);
}

/** A step set to be skipped when the applicant would approve it themselves. */
function applicantSkips(r: ApplicationRecord, node: ProcessNodeDefinition, ctx: EngineContext): boolean {
  return node.whenApplicantIsApprover === 'skip-node' && ctx.resolve(node.key).people.includes(r.props.applicant.id);
}

function activate(
  r: ApplicationRecord,
  node: ProcessNodeDefinition,
  ctx: EngineContext,
  previousApprover?: string,
): void {
  const activation = (r.props.activations[node.key] ?? 0) + 1;
  r.set('activations', { ...r.props.activations, [node.key]: activation });
  r.set('activeNode', node.key);
  r.set('state', 'in_progress');
  const at = ctx.at.toISOString();
  const base = {
    nodeKey: node.key,
    activation,
    outcome: null,
    reason: null,
    createdAt: at,
    actedBy: null,
    actedAt: null,
    dueAt: ctx.dueAt(node.key)?.toISOString() ?? null,
  } as const;
  // nobody approves their own application
  const found = ctx.resolve(node.key);
  const resolved = { ...found, people: found.people.filter((p) => p !== r.props.applicant.id) };
  const mode = node.mode ?? 'any';
  if (resolved.people.length === 0) {
    // never a silent pass: the owning unit's service admin gets the work, with the reason
    r.addTask({
      ...base,
      id: ctx.newId(),
      assignee: null,
      candidate: ctx.escalation,
      status: 'open',
      order: 0,
      reason: 'NO_HANDLER',
    });
    r.log(
      {
        actor: 'system',
        action: 'escalated',
        node: node.key,
        detail: { reason: 'the handler rule resolved to nobody', to: ctx.escalation },
      },
      ctx.at,
    );
  } else if (resolved.kind === 'pool' && mode === 'any') {
    r.addTask({
      ...base,
      id: ctx.newId(),
      assignee: null,
      candidate: { role: resolved.role, unit: resolved.unit },
      status: 'open',
      order: 0,
    });
  } else {
    resolved.people.forEach((person, order) => {
      const status = mode === 'sequential' && order > 0 ? 'waiting' : 'open';
      const absent = resolved.substituteFor?.[person];
      r.addTask({
        ...base,
        id: ctx.newId(),
        assignee: person,
        candidate: null,
        status,
        order,
        reason: absent ? `SUBSTITUTE_FOR ${absent}` : null,
      });
    });
  }
  r.log({ actor: 'system', action: 'node-activated', node: node.key, detail: { activation } }, ctx.at);
  if (node.kind === 'transfer' && node.connector) {
    // the business system is called after commit, by the dispatcher; the unit's task stands either way
    r.log(
      {
        actor: 'system',
        action: 'connector-requested',
        node: node.key,
        detail: { connector: node.connector, activation },
      },
      ctx.at,
    );
  }
  if (node.autoPassSameApprover && previousApprover && resolved.people.includes(previousApprover))
    autoApprove(r, node, activation, previousApprover, ctx);
}

/** The approver of the previous step approves this one too, automatically, as the history says. */
function autoApprove(
  r: ApplicationRecord,
  node: ProcessNodeDefinition,
  activation: number,
  person: string,
  ctx: EngineContext,
): void {
  const tasks = r.props.tasks.filter(
    (t) => t.nodeKey === node.key && t.activation === activation && t.status === 'open',
  );
  const task = tasks.find((t) => t.assignee === person) ?? tasks.find((t) => t.assignee === null && t.candidate);
  if (!task) return;
  r.updateTask(task, {
    assignee: person,
    status: 'done',
    outcome: 'approved',
    actedBy: person,
    actedAt: ctx.at.toISOString(),
  });
  r.log(
    {
      actor: person,
      action: 'approved',
      node: node.key,
      taskId: task.id,
      detail: { automatic: true, reason: 'approved the previous step' },
    },
    ctx.at,
  );
  settleNode(r, node.key, activation, person, undefined, ctx);
}

function end(
  r: ApplicationRecord,
  state: 'rejected' | 'withdrawn' | 'cancelled',
  person: string,
  comment: string | undefined,
  at: Date,
): Result<void, ActionError> {
  r.closeLiveTasks(at);
  r.set('state', state);
  r.set('endedAt', at);
  r.set('activeNode', null);
  r.log({ actor: person, action: state === 'rejected' ? 'application-rejected' : state, comment }, at);
  r.touch(at);
  return ok(undefined);
}

/** The reason every automatic action on a passed time limit records. */
export const TIME_LIMIT_PASSED = 'time limit passed';
export type TimeLimitOutcome = 'remind' | 'approved' | 'rejected' | 'escalated';

/**
 * A task's time limit has passed (定时自动处理): what its node's `onTimeout` says happens, done by
 * `system`. Only a task still open on a running application, at or after its due time, is acted
 * on; anything else is a conflict and changes nothing (a handler who acted first wins). 'remind'
 * changes nothing either: the caller sends the usual reminder. A task already with the owning
 * unit's service admins has nowhere further to go: escalating it only reminds.
 */
export function onTimeLimitPassed(
  r: ApplicationRecord,
  taskId: string,
  ctx: EngineContext,
): Result<TimeLimitOutcome, ActionError> {
  const found = r.taskById(taskId);
  if (!found.ok) return found;
  const open = r.stillOpen(found.value);
  if (!open.ok) return open;
  const task = open.value;
  if (!task.dueAt || ctx.at.getTime() < Date.parse(task.dueAt))
    return conflict('TASK.NOT_YET_DUE', 'the time limit of this task has not passed');
  const action = nodeByKey(r.definition, task.nodeKey)?.onTimeout?.action ?? 'remind';
  const detail = { automatic: true, reason: TIME_LIMIT_PASSED };
  const actedAt = ctx.at.toISOString();
  switch (action) {
    case 'remind':
      return ok('remind');
    case 'approve':
      r.updateTask(task, { status: 'done', outcome: 'approved', actedBy: 'system', actedAt });
      if (task.beforeOf) {
        // an opinion nobody gave in time: the signer who asked for it decides without it
        r.log(
          {
            actor: 'system',
            action: 'signer-opinion',
            node: task.nodeKey,
            taskId,
            detail: { ...detail, outcome: 'approved' },
          },
          ctx.at,
        );
        const owner = r.props.tasks.find((x) => x.id === task.beforeOf);
        if (owner?.status === 'waiting') r.updateTask(owner, { status: 'open' });
      } else {
        r.log({ actor: 'system', action: 'approved', node: task.nodeKey, taskId, detail }, ctx.at);
        settleNode(r, task.nodeKey, task.activation, 'system', undefined, ctx);
      }
      r.touch(ctx.at);
      return ok('approved');
    case 'reject':
      r.updateTask(task, { status: 'done', outcome: 'rejected', actedBy: 'system', actedAt });
      r.log({ actor: 'system', action: 'rejected', node: task.nodeKey, taskId, detail }, ctx.at);
      end(r, 'rejected', 'system', TIME_LIMIT_PASSED, ctx.at);
      return ok('rejected');
    case 'escalate': {
      const to = ctx.escalation;
      if (task.candidate?.role === to.role && task.candidate.unit === to.unit) return ok('remind');
      const from = task.assignee ?? (task.candidate ? `${task.candidate.role}@${task.candidate.unit}` : null);
      r.updateTask(task, { assignee: null, candidate: to, delegatedBy: null, reason: 'TIME_LIMIT_PASSED' });
      r.log(
        {
          actor: 'system',
          action: 'escalated',
          node: task.nodeKey,
          taskId,
          detail: { reason: TIME_LIMIT_PASSED, from, to },
        },
        ctx.at,
      );
      r.touch(ctx.at);
      return ok('escalated');
    }
  }
}
