import { InputError, NotAllowedError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import {
  downstreamOf,
  isGateway,
  nodeByKey,
  predecessors,
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
  if (r.props.waitingJoins.length) r.set('waitingJoins', []);
  r.log({ actor: r.props.applicant.id, action: 'submitted' }, ctx.at);
  proceed(r, [{ out: start }], ctx);
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

/**
 * 退回: to the applicant, or to a node this run has passed on the way to this task. Every live task
 * downstream of the target closes (with parallel branches: the branches the target leads to; a branch
 * the target does not lead to goes on), and joins downstream of it forget the branches that arrived.
 */
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
  const refuse = (code: string, message: string) =>
    err(
      new InputError(code, 'an application can only be returned to a node it has passed on the way to this step', [
        { path: '/target', message },
      ]),
    );
  if (!toApplicant && !r.props.passedNodes.includes(target))
    return refuse(
      'APPLICATION.RETURN_TARGET_NOT_PASSED',
      `node '${target}' has not been passed (passed: ${r.props.passedNodes.join(', ')})`,
    );
  if (!toApplicant && !downstreamOf(r.definition, target).has(t.value.nodeKey))
    return refuse(
      'APPLICATION.RETURN_TARGET_OFF_PATH',
      `node '${target}' is on another branch: it does not lead to '${t.value.nodeKey}'`,
    );
  const detail = rewind(r, toApplicant ? null : target, ctx.at);
  r.log(
    {
      actor: person,
      action: 'returned',
      node: t.value.nodeKey,
      taskId,
      comment,
      detail: { target: toApplicant ? 'applicant' : target, ...detail },
    },
    ctx.at,
  );
  if (toApplicant) {
    r.set('state', 'returned');
    r.set('passedNodes', []);
    refreshActive(r);
  } else proceed(r, activate(r, nodeByKey(r.definition, target)!, ctx), ctx);
  r.touch(ctx.at);
  return ok(undefined);
}

/**
 * Rewinds the run to just before `target` (everything, for null): every live task of a step downstream
 * of it closes, joins downstream of it forget the branches that arrived, and it and the nodes downstream
 * of it are passed no more. What it closed and cleared goes into the history entry of the action, so the
 * history replays.
 */
function rewind(r: ApplicationRecord, target: string | null, at: Date): { closed: string[]; clearedJoins?: string[] } {
  const ahead = target === null ? null : downstreamOf(r.definition, target);
  const within = (k: string) => !ahead || ahead.has(k);
  const closed = new Set<string>();
  for (const x of r.props.tasks)
    if (isLive(x) && within(x.nodeKey)) {
      closed.add(x.nodeKey);
      r.cancelTask(x, at);
    }
  const clearedJoins = r.props.waitingJoins.filter(within);
  if (clearedJoins.length)
    r.set(
      'waitingJoins',
      r.props.waitingJoins.filter((k) => !within(k)),
    );
  const passed = r.props.passedNodes.filter((k) => k !== target && !within(k));
  if (passed.length !== r.props.passedNodes.length) r.set('passedNodes', passed);
  return { closed: [...closed].sort(), ...(clearedJoins.length ? { clearedJoins } : {}) };
}

/**
 * 拿回: who approved a step takes the application back to it while no step after it has acted. The
 * steps after it close (a sibling branch goes on), and the step opens anew, its pool task held by the
 * taker; its other signers, if any, sign again.
 */
export function takeBack(r: ApplicationRecord, taskId: string, person: string, ctx: EngineContext) {
  const found = r.taskById(taskId);
  if (!found.ok) return found;
  const t = found.value;
  if (t.actedBy !== person || t.outcome !== 'approved' || t.beforeOf)
    return err(new NotAllowedError('TASK.NOT_YOURS', 'only who approved this task may take it back'));
  if (r.props.state !== 'in_progress')
    return conflict('APPLICATION.NOT_IN_PROGRESS', `the application is ${r.props.state}`);
  if (t.activation !== r.props.activations[t.nodeKey] || !r.props.passedNodes.includes(t.nodeKey))
    return conflict(
      'APPLICATION.STEP_NOT_PASSED',
      'this step has not passed since you approved it (or has run again): there is nothing to take back',
    );
  const ahead = downstreamOf(r.definition, t.nodeKey);
  const acted =
    r.props.passedNodes.some((k) => ahead.has(k)) ||
    r.props.tasks.some(
      (x) => ahead.has(x.nodeKey) && x.activation === r.props.activations[x.nodeKey] && x.outcome !== null,
    );
  if (acted)
    return conflict('APPLICATION.NEXT_STEP_ACTED', 'a later step has already acted: ask its handler to return it');
  const detail = rewind(r, t.nodeKey, ctx.at);
  r.log({ actor: person, action: 'taken-back', node: t.nodeKey, taskId, detail }, ctx.at);
  const moves = activate(r, nodeByKey(r.definition, t.nodeKey)!, ctx);
  const activation = r.props.activations[t.nodeKey];
  const pooled = r.props.tasks.find(
    (x) => x.nodeKey === t.nodeKey && x.activation === activation && x.status === 'open' && x.assignee === null,
  );
  if (pooled) r.updateTask(pooled, { assignee: person });
  proceed(r, moves, ctx);
  r.touch(ctx.at);
  return ok(undefined);
}

/**
 * 跳转: an admin (who may is the application layer's question) moves an application in progress to any
 * step, with a reason. Every live task closes and every join forgets; the step and those after it are
 * passed no more; the step opens.
 */
export function jumpTo(r: ApplicationRecord, person: string, target: string, reason: string, ctx: EngineContext) {
  if (r.props.state !== 'in_progress')
    return conflict('APPLICATION.NOT_IN_PROGRESS', `the application is ${r.props.state}`);
  const node = nodeByKey(r.definition, target);
  if (!node || node.kind === 'start' || isGateway(node)) {
    const steps = r.definition.nodes.filter((n) => n.kind !== 'start' && !isGateway(n)).map((n) => n.key);
    return err(
      new InputError('APPLICATION.JUMP_TARGET_INVALID', 'an application jumps to one of its steps', [
        { path: '/target', message: `'${target}' is not a step of this process (steps: ${steps.join(', ')})` },
      ]),
    );
  }
  const kept = r.props.passedNodes.filter((k) => k !== target && !downstreamOf(r.definition, target).has(k));
  const detail = rewind(r, null, ctx.at);
  r.set('passedNodes', kept);
  r.log({ actor: person, action: 'jumped', node: target, comment: reason, detail }, ctx.at);
  proceed(r, activate(r, node, ctx), ctx);
  r.touch(ctx.at);
  return ok(undefined);
}

/** 撤回: the applicant takes the application back while nobody has acted on the current node. */
export function withdraw(r: ApplicationRecord, person: string, at: Date): Result<void, ActionError> {
  if (person !== r.props.applicant.id)
    return err(new NotAllowedError('APPLICATION.NOT_APPLICANT', 'only the applicant may withdraw'));
  if (r.props.state !== 'in_progress')
    return conflict('APPLICATION.NOT_WITHDRAWABLE', `the application is ${r.props.state}`);
  const acted =
    r.props.waitingJoins.length > 0 ||
    r.props.tasks.some(
      (t) =>
        r.props.activeNodes.includes(t.nodeKey) &&
        t.activation === r.props.activations[t.nodeKey] &&
        t.outcome !== null,
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

/**
 * 撤销 by the owning unit's service admin or the IT Office (who may do it is the application layer's
 * question): an in-progress or returned application ends as cancelled, with the admin as actor.
 */
export function cancelByAdmin(
  r: ApplicationRecord,
  person: string,
  reason: string,
  at: Date,
): Result<void, ActionError> {
  if (isTerminal(r.props.state) || r.props.state === 'draft')
    return conflict('APPLICATION.NOT_CANCELLABLE', `the application is ${r.props.state}`);
  return end(r, 'cancelled', person, reason, at, { byAdmin: true });
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
  proceed(r, settle(r, nodeKey, activation, person, comment, ctx), ctx);
}

/** After a change outside the flow (a version move): joins nobody can reach pass, and a run with nothing left completes. */
export function resume(r: ApplicationRecord, ctx: EngineContext): void {
  proceed(r, [], ctx);
}

/** A token on its way: out of a node just passed (or skipped), or into a node. */
type Move = { out: string; previousApprover?: string } | { into: string; from: string; previousApprover?: string };

function settle(
  r: ApplicationRecord,
  nodeKey: string,
  activation: number,
  person: string,
  comment: string | undefined,
  ctx: EngineContext,
): Move[] {
  const node = nodeByKey(r.definition, nodeKey)!;
  const siblings = r.props.tasks.filter((x) => x.nodeKey === node.key && x.activation === activation);
  const result = nodeOutcome(node.mode ?? 'any', node.passRatio, siblings);
  if (result === 'rejected') {
    end(r, 'rejected', person, comment, ctx.at);
  } else if (result === 'passed') {
    for (const s of siblings) if (isLive(s)) r.cancelTask(s, ctx.at);
    r.set('passedNodes', [...r.props.passedNodes, node.key]);
    r.log({ actor: person, action: 'node-passed', node: node.key }, ctx.at);
    return [{ out: node.key, previousApprover: person }];
  } else {
    const next = siblings.filter((s) => s.status === 'waiting').sort((a, b) => a.order - b.order)[0];
    if (next && !siblings.some((s) => s.status === 'open')) r.updateTask(next, { status: 'open' });
  }
  return [];
}

/**
 * Moves every token as far as it goes: into steps (which wait for their handlers), through gateways,
 * into joins. Once no token moves, a join that no live step and no other waiting join can still reach
 * passes; when nothing is live and no join waits, the application is complete. Tokens move one at a
 * time from a queue, so a join never passes while a sibling branch is still on its way to it.
 */
function proceed(r: ApplicationRecord, moves: Move[], ctx: EngineContext): void {
  const queue = [...moves];
  for (;;) {
    for (let m = queue.shift(); m; m = queue.shift()) {
      if (r.props.state !== 'in_progress') return; // rejected on the way
      queue.push(...('out' in m ? leave(r, m.out, ctx, m.previousApprover) : enter(r, m, ctx)));
    }
    if (r.props.state !== 'in_progress') return;
    refreshActive(r);
    const join = readyJoin(r);
    if (!join) break;
    r.set(
      'waitingJoins',
      r.props.waitingJoins.filter((k) => k !== join),
    );
    r.log({ actor: 'system', action: 'branches-joined', node: join }, ctx.at);
    queue.push({ out: join });
  }
  if (r.props.activeNodes.length === 0 && r.props.waitingJoins.length === 0) {
    r.set('state', 'completed');
    r.set('endedAt', ctx.at);
    r.log({ actor: 'system', action: 'completed' }, ctx.at);
  }
}

/** Where a token goes out of a node: a gateway's routes, or the step's successor that applies. */
function leave(r: ApplicationRecord, key: string, ctx: EngineContext, previousApprover?: string): Move[] {
  const node = nodeByKey(r.definition, key)!;
  const next = successors(r.definition, key);
  if (isGateway(node)) return routes(node, next, ctx).map((to) => ({ into: to, from: key }));
  if (next.length <= 1) return next.map((to) => ({ into: to, from: key, previousApprover }));
  // a step with several successors takes the first that applies
  const chosen = next.find((k) => {
    const n = nodeByKey(r.definition, k)!;
    return isGateway(n) || (ctx.applies(k) && !applicantSkips(r, n, ctx));
  });
  if (chosen) return [{ into: chosen, from: key, previousApprover }];
  for (const k of next) skipped(r, k, ctx);
  return [{ out: next[0]!, previousApprover }];
}

/** The flows a gateway takes: parallel all; exclusive the first that holds; inclusive every one that holds. */
function routes(gateway: ProcessNodeDefinition, next: string[], ctx: EngineContext): string[] {
  if (gateway.kind === 'parallel') return next;
  const holds = (to: string): boolean =>
    to !== gateway.default && (!gateway.conditions?.[to] || ctx.flowHolds(gateway.key, to));
  const taken = gateway.kind === 'exclusive' ? next.filter(holds).slice(0, 1) : next.filter(holds);
  return taken.length || !gateway.default ? taken : [gateway.default];
}

/** A token arrives at a node: a join waits, a gateway routes, a step that does not apply is skipped. */
function enter(r: ApplicationRecord, m: { into: string; from: string; previousApprover?: string }, ctx: EngineContext) {
  const node = nodeByKey(r.definition, m.into)!;
  if (isGateway(node)) {
    if (predecessors(r.definition, node.key).length < 2) return [{ out: node.key }];
    if (!r.props.waitingJoins.includes(node.key)) r.set('waitingJoins', [...r.props.waitingJoins, node.key]);
    r.log({ actor: 'system', action: 'branch-arrived', node: node.key, detail: { from: m.from } }, ctx.at);
    return [];
  }
  if (!ctx.applies(node.key) || applicantSkips(r, node, ctx)) {
    skipped(r, node.key, ctx);
    return [{ out: node.key, previousApprover: m.previousApprover }];
  }
  if (r.props.tasks.some((t) => t.nodeKey === node.key && isLive(t))) {
    // a second branch reaching a step that already waits merges into it: a step runs once at a time
    r.log(
      { actor: 'system', action: 'branch-arrived', node: node.key, detail: { from: m.from, merged: true } },
      ctx.at,
    );
    return [];
  }
  return activate(r, node, ctx, m.previousApprover);
}

function skipped(r: ApplicationRecord, key: string, ctx: EngineContext): void {
  const reason = ctx.applies(key) ? 'the applicant is an approver of this step' : 'condition not met';
  r.log({ actor: 'system', action: 'node-skipped', node: key, detail: { reason } }, ctx.at);
}

/** A waiting join that nothing live can still reach: every branch that will come has come. */
function readyJoin(r: ApplicationRecord): string | undefined {
  const { activeNodes, waitingJoins } = r.props;
  return waitingJoins.find(
    (join) =>
      !activeNodes.some((k) => downstreamOf(r.definition, k).has(join)) &&
      !waitingJoins.some((k) => k !== join && downstreamOf(r.definition, k).has(join)),
  );
}

/** The steps with live tasks, in definition order; the first is the one list views show. */
function refreshActive(r: ApplicationRecord): void {
  const live = new Set(r.props.tasks.filter(isLive).map((t) => t.nodeKey));
  const nodes = r.definition.nodes.filter((n) => live.has(n.key)).map((n) => n.key);
  if (nodes.join('\n') !== r.props.activeNodes.join('\n')) r.set('activeNodes', nodes);
  if ((nodes[0] ?? null) !== r.props.activeNode) r.set('activeNode', nodes[0] ?? null);
}

/** A step set to be skipped when the applicant would approve it themselves. */
export function skipsApplicant(node: ProcessNodeDefinition, applicantId: string, ctx: EngineContext): boolean {
  return node.whenApplicantIsApprover === 'skip-node' && ctx.resolve(node.key).people.includes(applicantId);
}

function applicantSkips(r: ApplicationRecord, node: ProcessNodeDefinition, ctx: EngineContext): boolean {
  return skipsApplicant(node, r.props.applicant.id, ctx);
}

/** Opens a step's tasks; what comes back moves on at once when its previous approver passes it here too. */
function activate(
  r: ApplicationRecord,
  node: ProcessNodeDefinition,
  ctx: EngineContext,
  previousApprover?: string,
): Move[] {
  const activation = (r.props.activations[node.key] ?? 0) + 1;
  r.set('activations', { ...r.props.activations, [node.key]: activation });
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
    return autoApprove(r, node, activation, previousApprover, ctx);
  return [];
}

/** The approver of the previous step approves this one too, automatically, as the history says. */
function autoApprove(
  r: ApplicationRecord,
  node: ProcessNodeDefinition,
  activation: number,
  person: string,
  ctx: EngineContext,
): Move[] {
  const tasks = r.props.tasks.filter(
    (t) => t.nodeKey === node.key && t.activation === activation && t.status === 'open',
  );
  const task = tasks.find((t) => t.assignee === person) ?? tasks.find((t) => t.assignee === null && t.candidate);
  if (!task) return [];
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
  return settle(r, node.key, activation, person, undefined, ctx);
}

function end(
  r: ApplicationRecord,
  state: 'rejected' | 'withdrawn' | 'cancelled',
  person: string,
  comment: string | undefined,
  at: Date,
  detail?: Record<string, unknown>,
): Result<void, ActionError> {
  r.closeLiveTasks(at);
  r.set('state', state);
  r.set('endedAt', at);
  r.set('activeNode', null);
  r.set('activeNodes', []);
  if (r.props.waitingJoins.length) r.set('waitingJoins', []);
  r.log({ actor: person, action: state === 'rejected' ? 'application-rejected' : state, comment, detail }, at);
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
