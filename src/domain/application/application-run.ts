import { InputError, NotAllowedError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { nodeByKey, startNode, successors, type ProcessNodeDefinition } from '../process-definition/process-definition.js';
import { isTerminal, type EngineContext } from './application-state.js';
import { ApplicationCore, conflict, type ActionError } from './application-core.js';
import { nodeOutcome } from './node-outcome.js';
import { isLive } from './task.js';

/**
 * The process run of an application: submission, decisions, returns and endings. The engine lives
 * here, pure: every action either changes the aggregate consistently or returns an error and
 * changes nothing.
 */
export abstract class ApplicationRun extends ApplicationCore {
  /** Replaces the form of a draft (or of an application returned to its applicant). */
  edit(form: Record<string, unknown>, at: Date): Result<void, ActionError> {
    if (this.props.state !== 'draft' && this.props.state !== 'returned') return conflict('APPLICATION.NOT_EDITABLE', `the application is ${this.props.state}`);
    this.props.form = form;
    this.touch(at);
    return ok(undefined);
  }

  /** 提交: a draft, or a returned application, starts (again) at the first node after the start. */
  submit(caseNumber: string, ctx: EngineContext): Result<void, ActionError> {
    if (this.props.state !== 'draft' && this.props.state !== 'returned') return conflict('APPLICATION.NOT_SUBMITTABLE', `the application is ${this.props.state}`);
    this.props.caseNumber ??= caseNumber;
    this.props.state = 'in_progress';
    this.props.passedNodes = [startNode(this.definition).key];
    this.log({ actor: this.props.applicant.id, action: 'submitted' }, ctx.at);
    this.advanceFrom(startNode(this.definition).key, ctx);
    return ok(undefined);
  }

  claim(taskId: string, person: string, holdsPool: boolean, at: Date): Result<void, ActionError> {
    const t = this.openTask(taskId);
    if (!t.ok) return t;
    if (t.value.assignee) return conflict('TASK.ALREADY_CLAIMED', t.value.assignee === person ? 'you have already claimed this task' : 'someone else has claimed this task');
    if (person === this.props.applicant.id) return err(new NotAllowedError('TASK.OWN_APPLICATION', 'nobody handles their own application'));
    if (!t.value.candidate || !holdsPool) return err(new NotAllowedError('TASK.NOT_CANDIDATE', 'this task is not offered to you'));
    t.value.assignee = person;
    this.log({ actor: person, action: 'claimed', node: t.value.nodeKey, taskId }, at);
    this.touch(at);
    return ok(undefined);
  }

  unclaim(taskId: string, person: string, at: Date): Result<void, ActionError> {
    const t = this.decidableTask(taskId, person);
    if (!t.ok) return t;
    if (!t.value.candidate) return conflict('TASK.NOT_POOLED', 'this task was assigned to you by name and cannot go back to a pool');
    t.value.assignee = null;
    this.log({ actor: person, action: 'unclaimed', node: t.value.nodeKey, taskId }, at);
    this.touch(at);
    return ok(undefined);
  }

  approve(taskId: string, person: string, comment: string | undefined, ctx: EngineContext): Result<void, ActionError> {
    return this.decide(taskId, person, 'approved', comment, ctx);
  }

  reject(taskId: string, person: string, reason: string, ctx: EngineContext): Result<void, ActionError> {
    return this.decide(taskId, person, 'rejected', reason, ctx);
  }

  /** 退回: to the applicant, or to any node this run has actually passed. Every live task closes. */
  returnTo(taskId: string, person: string, target: string, comment: string, ctx: EngineContext): Result<void, ActionError> {
    const t = this.decidableTask(taskId, person);
    if (!t.ok) return t;
    const toApplicant = target === 'applicant' || target === startNode(this.definition).key;
    if (!toApplicant && !this.props.passedNodes.includes(target)) {
      return err(new InputError('APPLICATION.RETURN_TARGET_NOT_PASSED', 'an application can only be returned to a node it has passed', [{ path: '/target', message: `node '${target}' has not been passed (passed: ${this.props.passedNodes.join(', ')})` }]));
    }
    this.closeLiveTasks(ctx.at);
    this.log({ actor: person, action: 'returned', node: t.value.nodeKey, taskId, comment, detail: { target: toApplicant ? 'applicant' : target } }, ctx.at);
    if (toApplicant) {
      this.props.state = 'returned';
      this.props.activeNode = null;
      this.props.passedNodes = [];
    } else {
      this.props.passedNodes = this.props.passedNodes.slice(0, this.props.passedNodes.indexOf(target));
      this.activate(nodeByKey(this.definition, target)!, ctx);
    }
    this.touch(ctx.at);
    return ok(undefined);
  }

  /** 撤回: the applicant takes the application back while nobody has acted on the current node. */
  withdraw(person: string, at: Date): Result<void, ActionError> {
    if (person !== this.props.applicant.id) return err(new NotAllowedError('APPLICATION.NOT_APPLICANT', 'only the applicant may withdraw'));
    if (this.props.state !== 'in_progress') return conflict('APPLICATION.NOT_WITHDRAWABLE', `the application is ${this.props.state}`);
    const node = this.props.activeNode;
    const acted = this.props.tasks.some((t) => t.nodeKey === node && t.activation === this.props.activations[node ?? ''] && t.outcome !== null);
    if (acted) return conflict('APPLICATION.HANDLER_ALREADY_ACTED', 'a handler has already acted on the current step; ask for a return or cancel instead');
    return this.end('withdrawn', person, undefined, at);
  }

  /** 撤销: the applicant ends the application before completion, with a reason. */
  cancel(person: string, reason: string, at: Date): Result<void, ActionError> {
    if (person !== this.props.applicant.id) return err(new NotAllowedError('APPLICATION.NOT_APPLICANT', 'only the applicant may cancel'));
    if (isTerminal(this.props.state) || this.props.state === 'draft') return conflict('APPLICATION.NOT_CANCELLABLE', `the application is ${this.props.state}`);
    return this.end('cancelled', person, reason, at);
  }

  protected decide(taskId: string, person: string, outcome: 'approved' | 'rejected', comment: string | undefined, ctx: EngineContext): Result<void, ActionError> {
    const t = this.decidableTask(taskId, person);
    if (!t.ok) return t;
    const task = t.value;
    task.status = 'done';
    task.outcome = outcome;
    task.actedBy = person;
    task.actedAt = ctx.at.toISOString();
    if (task.beforeOf) {
      // an opinion for the signer who asked for it: their task reopens, the node does not move
      this.log({ actor: person, action: 'signer-opinion', node: task.nodeKey, taskId, comment, detail: { outcome } }, ctx.at);
      const owner = this.props.tasks.find((x) => x.id === task.beforeOf);
      if (owner?.status === 'waiting') owner.status = 'open';
      this.touch(ctx.at);
      return ok(undefined);
    }
    this.log({ actor: person, action: outcome, node: task.nodeKey, taskId, comment }, ctx.at);
    this.settleNode(task.nodeKey, task.activation, person, comment, ctx);
    this.touch(ctx.at);
    return ok(undefined);
  }

  /** After a decision or a removed signer: the node passes, rejects, or opens its next waiting task. */
  protected settleNode(nodeKey: string, activation: number, person: string, comment: string | undefined, ctx: EngineContext): void {
    const node = nodeByKey(this.definition, nodeKey)!;
    const siblings = this.props.tasks.filter((x) => x.nodeKey === node.key && x.activation === activation);
    const result = nodeOutcome(node.mode ?? 'any', node.passRatio, siblings);
    if (result === 'rejected') {
      this.end('rejected', person, comment, ctx.at);
    } else if (result === 'passed') {
      for (const s of siblings) if (isLive(s)) this.cancelTask(s, ctx.at);
      this.props.passedNodes.push(node.key);
      this.log({ actor: person, action: 'node-passed', node: node.key }, ctx.at);
      this.advanceFrom(node.key, ctx, person);
    } else {
      const next = siblings.filter((s) => s.status === 'waiting').sort((a, b) => a.order - b.order)[0];
      if (next && !siblings.some((s) => s.status === 'open')) next.status = 'open';
    }
  }

  /** Moves to the next node that applies, skipping (and recording) those whose condition is false. */
  protected advanceFrom(key: string, ctx: EngineContext, previousApprover?: string): void {
    let candidates = successors(this.definition, key);
    while (candidates.length) {
      const node = candidates.map((k) => nodeByKey(this.definition, k)!).find((n) => ctx.applies(n.key) && !this.applicantSkips(n, ctx));
      if (node) return this.activate(node, ctx, previousApprover);
      for (const k of candidates) {
        const reason = ctx.applies(k) ? 'the applicant is an approver of this step' : 'condition not met';
        this.log({ actor: 'system', action: 'node-skipped', node: k, detail: { reason } }, ctx.at);
      }
      candidates = successors(this.definition, candidates[0]!);
    }
    this.props.activeNode = null;
    this.props.state = 'completed';
    this.log({ actor: 'system', action: 'completed' }, ctx.at);
  }

  /** A step set to be skipped when the applicant would approve it themselves. */
  private applicantSkips(node: ProcessNodeDefinition, ctx: EngineContext): boolean {
    return node.whenApplicantIsApprover === 'skip-node' && ctx.resolve(node.key).people.includes(this.props.applicant.id);
  }

  protected activate(node: ProcessNodeDefinition, ctx: EngineContext, previousApprover?: string): void {
    const activation = (this.props.activations[node.key] ?? 0) + 1;
    this.props.activations[node.key] = activation;
    this.props.activeNode = node.key;
    this.props.state = 'in_progress';
    const at = ctx.at.toISOString();
    const base = { nodeKey: node.key, activation, outcome: null, reason: null, createdAt: at, actedBy: null, actedAt: null, dueAt: ctx.dueAt(node.key)?.toISOString() ?? null } as const;
    // nobody approves their own application
    const found = ctx.resolve(node.key);
    const resolved = { ...found, people: found.people.filter((p) => p !== this.props.applicant.id) };
    const mode = node.mode ?? 'any';
    if (resolved.people.length === 0) {
      // never a silent pass: the owning unit's service admin gets the work, with the reason
      this.props.tasks.push({ ...base, id: ctx.newId(), assignee: null, candidate: ctx.escalation, status: 'open', order: 0, reason: 'NO_HANDLER' });
      this.log({ actor: 'system', action: 'escalated', node: node.key, detail: { reason: 'the handler rule resolved to nobody', to: ctx.escalation } }, ctx.at);
    } else if (resolved.kind === 'pool' && mode === 'any') {
      this.props.tasks.push({ ...base, id: ctx.newId(), assignee: null, candidate: { role: resolved.role, unit: resolved.unit }, status: 'open', order: 0 });
    } else {
      resolved.people.forEach((person, order) => {
        const status = mode === 'sequential' && order > 0 ? 'waiting' : 'open';
        const absent = resolved.substituteFor?.[person];
        this.props.tasks.push({ ...base, id: ctx.newId(), assignee: person, candidate: null, status, order, reason: absent ? `SUBSTITUTE_FOR ${absent}` : null });
      });
    }
    this.log({ actor: 'system', action: 'node-activated', node: node.key, detail: { activation } }, ctx.at);
    if (node.kind === 'transfer' && node.connector) {
      // the business system is called after commit, by the dispatcher; the unit's task stands either way
      this.log({ actor: 'system', action: 'connector-requested', node: node.key, detail: { connector: node.connector, activation } }, ctx.at);
    }
    if (node.autoPassSameApprover && previousApprover && resolved.people.includes(previousApprover)) this.autoApprove(node, activation, previousApprover, ctx);
  }

  /** The approver of the previous step approves this one too, automatically, as the history says. */
  private autoApprove(node: ProcessNodeDefinition, activation: number, person: string, ctx: EngineContext): void {
    const tasks = this.props.tasks.filter((t) => t.nodeKey === node.key && t.activation === activation && t.status === 'open');
    const task = tasks.find((t) => t.assignee === person) ?? tasks.find((t) => t.assignee === null && t.candidate);
    if (!task) return;
    Object.assign(task, { assignee: person, status: 'done', outcome: 'approved', actedBy: person, actedAt: ctx.at.toISOString() });
    this.log({ actor: person, action: 'approved', node: node.key, taskId: task.id, detail: { automatic: true, reason: 'approved the previous step' } }, ctx.at);
    this.settleNode(node.key, activation, person, undefined, ctx);
  }

  protected end(state: 'rejected' | 'withdrawn' | 'cancelled', person: string, comment: string | undefined, at: Date): Result<void, ActionError> {
    this.closeLiveTasks(at);
    this.props.state = state;
    this.props.activeNode = null;
    this.log({ actor: person, action: state === 'rejected' ? 'application-rejected' : state, comment }, at);
    this.touch(at);
    return ok(undefined);
  }
}
