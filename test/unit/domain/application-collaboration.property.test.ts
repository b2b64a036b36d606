import { expect } from 'chai';
import fc from 'fast-check';
import type { Application } from '../../../src/domain/application/application.entity.js';
import { snapshot, type Snapshot } from '../../fixtures/application-snapshot.js';
import { isTerminal } from '../../../src/domain/application/application-state.js';
import { downstreamOf, type SignMode } from '../../../src/domain/process-definition/process-definition.js';
import { isLive, type Task } from '../../../src/domain/application/task.js';
import {
  NUM_RUNS,
  URGE_WINDOW_MINUTES,
  World,
  at,
  collaborationStep,
  keyOf,
  nodeSpec,
  property,
  run,
  timed,
  type Action,
  type Check,
  type NodeSpec,
  type Step,
  type Timed,
} from './application-engine.property.test.js';

// Under the random action sequences of application-engine.property.test.ts: an independent model of
// the rules of every action (the error code each refusal must carry), the sign modes and opinions, the
// invariants of working together on a task (transfer, delegate, signers added before/after and
// removed, copy, comment, urge), the happy paths, and replays of the counterexamples fast-check found.

// ---- the rules, written independently of the engine -------------------------------------------

/**
 * The task an action names, or the code refusing it: it must be the actor's, then open on an
 * application in progress ('own'); 'decide': and not be delegated to them.
 */
function taskFor(before: Snapshot, taskId: string, actor: string, level: 'own' | 'decide'): Task | string {
  const t = before.tasks.find((x) => x.id === taskId);
  if (!t) return 'TASK.NOT_FOUND';
  // whose it is comes before its state: only its holder hears that it was handled
  if (t.assignee !== actor) return 'TASK.NOT_YOURS';
  if (t.status !== 'open' || before.state !== 'in_progress') return 'TASK.ALREADY_HANDLED';
  return level === 'decide' && t.delegatedBy ? 'TASK.DELEGATED' : t;
}

const siblingsOf = (tasks: readonly Task[], t: Task): Task[] =>
  tasks.filter((x) => x.nodeKey === t.nodeKey && x.activation === t.activation);

/** 'ok' or the code the action must be refused with, judged on the aggregate as it was before the action. */
function expectedOutcome(before: Snapshot, act: Action, w: World): string {
  const { state } = before;
  switch (act.kind) {
    case 'resubmit':
      return state === 'draft' || state === 'returned' ? 'ok' : 'APPLICATION.NOT_SUBMITTABLE';
    case 'cancel':
      if (act.actor !== before.applicant.id) return 'APPLICATION.NOT_APPLICANT';
      return isTerminal(state) || state === 'draft' ? 'APPLICATION.NOT_CANCELLABLE' : 'ok';
    case 'takeBack': {
      const t = before.tasks.find((x) => x.id === act.taskId);
      if (!t) return 'TASK.NOT_FOUND';
      if (t.actedBy !== act.actor || t.outcome !== 'approved' || t.beforeOf) return 'TASK.NOT_YOURS';
      if (state !== 'in_progress') return 'APPLICATION.NOT_IN_PROGRESS';
      if (t.activation !== before.activations[t.nodeKey] || !before.passedNodes.includes(t.nodeKey))
        return 'APPLICATION.STEP_NOT_PASSED';
      // nothing after it has acted: no later step passed, no decision on a later step's current round
      const later = downstreamOf(w.defOf(before.versionId), t.nodeKey);
      const acted =
        before.passedNodes.some((k) => later.has(k)) ||
        before.tasks.some(
          (x) => later.has(x.nodeKey) && x.activation === before.activations[x.nodeKey] && x.outcome !== null,
        );
      return acted ? 'APPLICATION.NEXT_STEP_ACTED' : 'ok';
    }
    case 'move': {
      if (state !== 'in_progress' && state !== 'returned' && state !== 'draft') return 'APPLICATION.NOT_MOVABLE';
      // an incomplete mapping leaves out the first step: refused when the application waits there
      const first = w.defOf(before.versionId).nodes.find((n) => /^[nm]\d+$/.test(n.key))!.key;
      return !act.complete && before.activeNodes.includes(first) ? 'APPLICATION.MAPPING_INVALID' : 'ok';
    }
    case 'jump':
      if (state !== 'in_progress') return 'APPLICATION.NOT_IN_PROGRESS';
      return w
        .defOf(before.versionId)
        .nodes.some((n) => n.key === act.target && ['review', 'complete'].includes(n.kind))
        ? 'ok'
        : 'APPLICATION.JUMP_TARGET_INVALID';
    case 'withdraw': {
      if (act.actor !== before.applicant.id) return 'APPLICATION.NOT_APPLICANT';
      if (state !== 'in_progress') return 'APPLICATION.NOT_WITHDRAWABLE';
      // on any step it waits at, or on a branch that has already reached its join
      const current = before.tasks.filter(
        (t) => before.activeNodes.includes(t.nodeKey) && t.activation === before.activations[t.nodeKey],
      );
      return before.waitingJoins.length || current.some((t) => t.outcome !== null)
        ? 'APPLICATION.HANDLER_ALREADY_ACTED'
        : 'ok';
    }
    case 'comment':
      return act.private && act.actor === before.applicant.id ? 'APPLICATION.PRIVATE_NOTE' : 'ok';
    case 'urge': {
      if (state !== 'in_progress') return 'APPLICATION.NOT_IN_PROGRESS';
      const last = before.history.filter((h) => h.action === 'urged' && h.actor === act.actor).at(-1);
      return last && at(act.minute).getTime() - Date.parse(last.at) < URGE_WINDOW_MINUTES * 60_000
        ? 'APPLICATION.URGED_RECENTLY'
        : 'ok';
    }
    case 'claim': {
      const t = before.tasks.find((x) => x.id === act.taskId);
      if (!t) return 'TASK.NOT_FOUND';
      if (act.actor === before.applicant.id) return 'TASK.OWN_APPLICATION';
      if (t.assignee !== act.actor && !(t.candidate && act.holdsPool)) return 'TASK.NOT_CANDIDATE';
      if (t.status !== 'open' || before.state !== 'in_progress') return 'TASK.ALREADY_HANDLED';
      return t.assignee !== null ? 'TASK.ALREADY_CLAIMED' : 'ok';
    }
    case 'unclaim': {
      // a delegate hands the task back to its owner, not to the pool
      const t = taskFor(before, act.taskId, act.actor, 'decide');
      return typeof t === 'string' ? t : t.candidate ? 'ok' : 'TASK.NOT_POOLED';
    }
    case 'resolveDelegation':
    case 'copyTo':
    case 'removeSigner': {
      const t = taskFor(before, act.taskId, act.actor, 'own');
      if (typeof t === 'string') return t;
      if (act.kind === 'resolveDelegation') return t.delegatedBy ? 'ok' : 'TASK.NOT_DELEGATED';
      if (act.kind !== 'removeSigner') return 'ok'; // copyTo
      const signer = siblingsOf(before.tasks, t).find((x) => x.id === act.signerTaskId && x.id !== t.id);
      if (!signer) return 'TASK.NOT_A_SIGNER_HERE';
      if (!isLive(signer)) return 'TASK.SIGNER_ALREADY_ACTED';
      return signer.addedBy ? 'ok' : 'TASK.SIGNER_NOT_ADDED';
    }
    default:
      break;
  }
  const t = taskFor(before, act.taskId, act.actor, 'decide');
  if (typeof t === 'string') return t;
  const holdsTaskHere = (p: string): boolean => siblingsOf(before.tasks, t).some((x) => isLive(x) && x.assignee === p);
  switch (act.kind) {
    case 'returnTo':
      if (act.target === 'applicant' || act.target === 'apply') return 'ok';
      if (!before.passedNodes.includes(act.target)) return 'APPLICATION.RETURN_TARGET_NOT_PASSED';
      // back along the way this task came: a node on a sibling branch is not on it
      return downstreamOf(w.defOf(before.versionId), act.target).has(t.nodeKey)
        ? 'ok'
        : 'APPLICATION.RETURN_TARGET_OFF_PATH';
    case 'transfer':
    case 'delegate':
      if (act.to === act.actor) return 'TASK.SAME_PERSON';
      if (act.to === before.applicant.id) return 'TASK.APPLICANT_AS_HANDLER';
      return holdsTaskHere(act.to) ? 'TASK.ALREADY_SIGNER' : 'ok';
    case 'addSigner':
      if (act.to === before.applicant.id) return 'TASK.APPLICANT_AS_SIGNER';
      if (holdsTaskHere(act.to)) return 'TASK.ALREADY_SIGNER';
      return act.position === 'after' && w.spec(t.nodeKey)?.mode === 'any' ? 'TASK.ADD_SIGNER_NOT_APPLICABLE' : 'ok';
    default:
      return 'ok'; // approve, reject
  }
}

// ---- invariants ---------------------------------------------------------------------------------

const decidesByTheRules: Check = (_a, w, previous, r, act) => {
  if (!r || !act) return;
  expect(r.ok ? 'ok' : r.error.code, `${JSON.stringify(act)} on a ${previous.state} application`).to.equal(
    expectedOutcome(previous, act, w),
  );
};

/**
 * After an accepted approve/reject, the node passes, rejects or stays pending as its sign mode says;
 * the opinion of a signer added before someone does not count and reopens that someone's task.
 */
const signModeDecides: Check = (a, w, previous, r, act) => {
  if (!r?.ok || !act || (act.kind !== 'approve' && act.kind !== 'reject')) return;
  const task = previous.tasks.find((t) => t.id === act.taskId)!;
  const { mode, passRatio } = w.spec(task.nodeKey)!;
  const counted = previous.tasks
    .filter(
      (t) => t.nodeKey === task.nodeKey && t.activation === task.activation && t.status !== 'cancelled' && !t.beforeOf,
    )
    .map((t) => (t.id === task.id ? (act.kind === 'approve' ? 'approved' : 'rejected') : t.outcome));
  const n = counted.length;
  const yes = counted.filter((o) => o === 'approved').length;
  const no = counted.filter((o) => o === 'rejected').length;
  let expected: 'passed' | 'rejected' | 'pending' | null;
  if (task.beforeOf) expected = 'pending';
  else
    switch (mode) {
      case 'any':
        expected = yes > 0 ? 'passed' : null;
        break; // what one rejection does in 'any' is not part of the rules tested here
      case 'all':
      case 'sequential':
        expected = no > 0 ? 'rejected' : yes === n ? 'passed' : 'pending';
        break;
      case 'ratio':
        expected = yes >= passRatio * n - 1e-9 ? 'passed' : n - no < passRatio * n - 1e-9 ? 'rejected' : 'pending';
        break;
    }
  const logged = a.recorded.slice(previous.history.length);
  const actual =
    a.state === 'rejected'
      ? 'rejected'
      : logged.some((h) => h.action === 'node-passed' && h.node === task.nodeKey)
        ? 'passed'
        : 'pending';
  if (expected)
    expect(
      actual,
      `${mode} node ${task.nodeKey} (${n} counted, ${yes} yes, ${no} no, ratio ${passRatio}, opinion: ${!!task.beforeOf})`,
    ).to.equal(expected);
  if (actual === 'pending')
    expect({ active: a.activeNodes.includes(task.nodeKey), activations: snapshot(a).activations }).to.deep.equal({
      active: true,
      activations: previous.activations,
    });
  if (task.beforeOf) {
    expect(
      logged.map((h) => h.action),
      'an opinion is logged as such',
    ).to.deep.equal(['signer-opinion']);
    const owner = previous.tasks.find((t) => t.id === task.beforeOf)!;
    if (owner.status === 'waiting')
      expect(a.tasks.find((t) => t.id === owner.id)?.status, `owner ${owner.id} reopens`).to.equal('open');
  }
};

const COLLABORATION = new Set<Action['kind']>([
  'transfer',
  'delegate',
  'resolveDelegation',
  'addSigner',
  'removeSigner',
  'copyTo',
  'comment',
  'urge',
]);

/** An accepted collaboration action changes what it says and nothing of the run (a removed signer may settle the node). */
const collaborationDoesWhatItSays: Check = (a, w, previous, r, act) => {
  if (!r?.ok || !act || !COLLABORATION.has(act.kind)) return;
  const now = snapshot(a);
  const where = (p: Snapshot) => ({
    state: p.state,
    activeNodes: p.activeNodes,
    waitingJoins: p.waitingJoins,
    activations: p.activations,
    passedNodes: p.passedNodes,
  });
  if (act.kind !== 'removeSigner') expect(where(now), `${act.kind} moved the run`).to.deep.equal(where(previous));
  const was = (id: string): Task => previous.tasks.find((t) => t.id === id)!;
  const is = (id: string): Task => now.tasks.find((t) => t.id === id)!;
  switch (act.kind) {
    case 'transfer':
      expect(is(act.taskId)).to.deep.equal({ ...was(act.taskId), assignee: act.to, candidate: null });
      break;
    case 'delegate':
      expect(is(act.taskId)).to.deep.equal({ ...was(act.taskId), assignee: act.to, delegatedBy: act.actor });
      break;
    case 'resolveDelegation':
      expect(is(act.taskId)).to.deep.equal({
        ...was(act.taskId),
        assignee: was(act.taskId).delegatedBy,
        delegatedBy: null,
      });
      break;
    case 'addSigner': {
      const added = now.tasks.slice(previous.tasks.length);
      const mine = was(act.taskId);
      const before = act.position === 'before';
      expect(added).to.have.length(1);
      expect(added[0]).to.deep.include({
        nodeKey: mine.nodeKey,
        activation: mine.activation,
        assignee: act.to,
        addedBy: act.actor,
        outcome: null,
        status: before || w.spec(mine.nodeKey)?.mode !== 'sequential' ? 'open' : 'waiting',
      });
      expect(added[0]!.beforeOf ?? null).to.equal(before ? mine.id : null);
      expect(is(mine.id).status).to.equal(before ? 'waiting' : 'open');
      break;
    }
    case 'removeSigner': {
      expect(is(act.signerTaskId).status).to.equal('cancelled');
      const owner = was(act.signerTaskId).beforeOf;
      if (owner && was(owner).status === 'waiting') expect(is(owner).status, `owner ${owner} reopens`).to.equal('open');
      break;
    }
    case 'copyTo':
      expect(now.copiedTo).to.include(act.to);
      break;
    default:
      expect(now.tasks).to.deep.equal(previous.tasks);
      break;
  }
};

const neverStuck: Check = (a) => {
  if (a.state === 'in_progress')
    expect(
      a.tasks.some((t) => t.status === 'open'),
      'an in-progress application has an open task',
    ).to.equal(true);
};

const beforeSignersPointToWaitingOwners: Check = (a) => {
  for (const t of a.tasks.filter((x) => isLive(x) && x.beforeOf)) {
    const owner = a.tasks.find((x) => x.id === t.beforeOf);
    expect(
      owner && { node: owner.nodeKey, activation: owner.activation, status: owner.status },
      `owner of live before-signer ${t.id}`,
    ).to.deep.equal({ node: t.nodeKey, activation: t.activation, status: 'waiting' });
  }
};

/** A waiting task waits for exactly one live before-signer, or for its turn in a sequential node. */
const waitingHasOneReason: Check = (a, w) => {
  for (const t of a.tasks.filter((x) => x.status === 'waiting')) {
    const signers = a.tasks.filter((x) => isLive(x) && x.beforeOf === t.id).length;
    expect({ signers, sequential: w.spec(t.nodeKey)?.mode === 'sequential' }, `why ${t.id} waits`).to.satisfy(
      ({ signers: n, sequential }: { signers: number; sequential: boolean }) => n === 1 || (n === 0 && sequential),
    );
  }
};

/** A delegated task is never decided while delegated: it is live and held by the delegate, or was closed (cancelled) with its node. */
const delegationIsLive: Check = (a) => {
  for (const t of a.tasks.filter((x) => x.delegatedBy)) {
    expect(t.status, `delegated task ${t.id}`).to.not.equal('done');
    if (isLive(t))
      expect(t.assignee, `delegate of ${t.id} (delegated by ${t.delegatedBy})`)
        .to.be.a('string')
        .and.not.equal(t.delegatedBy);
  }
};

// ---- properties ---------------------------------------------------------------------------------

/** Collaboration steps by the rightful people: the task's assignee or a holder of its pool, the applicant for comments. */
const rightfulCollaboration = collaborationStep.map((s): Step =>
  'actor' in s ? { ...s, actor: { ...s.actor, right: true } } : s,
);

describe('Application collaboration (properties)', function () {
  this.timeout(120_000); // a bound for a loaded, shared machine, not a speed check

  it('accepts exactly the actions the rules allow (collaboration included) and refuses the others with the right code', () => {
    fc.assert(property(decidesByTheRules), { numRuns: NUM_RUNS });
  });

  it("an accepted decision passes, rejects or keeps the node pending as its sign mode says ('ratio' rejects only once the ratio is out of reach; opinions do not count)", () => {
    fc.assert(property(signModeDecides), { numRuns: NUM_RUNS });
  });

  it('an accepted collaboration action does what it says and does not move the run', () => {
    fc.assert(property(collaborationDoesWhatItSays), { numRuns: NUM_RUNS });
  });

  it('an application in progress always has an open task: it never gets stuck', () => {
    fc.assert(property(neverStuck), { numRuns: NUM_RUNS });
  });

  it("every live signer added before someone points to a 'waiting' task of the same node activation", () => {
    fc.assert(property(beforeSignersPointToWaitingOwners), { numRuns: NUM_RUNS });
  });

  it('a waiting task waits for exactly one live before-signer, or for its turn in a sequential node', () => {
    fc.assert(property(waitingHasOneReason), { numRuns: NUM_RUNS });
  });

  it('a task with delegatedBy is never decided; while live it is held by the delegate, not by whoever delegated it', () => {
    fc.assert(property(delegationIsLive), { numRuns: NUM_RUNS });
  });

  it('rightful handlers approving everything complete the application, passing or skipping each node in order', () => {
    fc.assert(
      fc.property(fc.array(nodeSpec, { minLength: 2, maxLength: 4 }), (specs) => completeWith(specs, [])),
      { numRuns: NUM_RUNS },
    );
  });

  it('... and still do with rightful collaboration actions interleaved', () => {
    fc.assert(
      fc.property(
        fc.array(nodeSpec, { minLength: 2, maxLength: 4 }),
        fc.array(timed(rightfulCollaboration), { maxLength: 30, size: 'max' }),
        completeWith,
      ),
      { numRuns: NUM_RUNS },
    );
  });

  describe('regressions: minimal counterexamples fast-check found, replayed', () => {
    const every: Check = (...args) =>
      [decidesByTheRules, neverStuck, beforeSignersPointToWaitingOwners, waitingHasOneReason, delegationIsLive].forEach(
        (c) => c(...args),
      );
    const node = (mode: SignMode, rule: NodeSpec['rule'], resolved: string[]): NodeSpec => ({
      mode,
      passRatio: 1,
      rule,
      resolved,
      applies: true,
    });
    const byRightful = (s: Record<string, unknown>): Timed => ({
      step: { task: 0, actor: { right: true, other: 0 }, ...s } as Step,
      minutes: 0,
    });

    it('removing a signer who had asked someone before themselves removes that someone too (it stayed open, pointing to a cancelled task)', () => {
      // n2: p1's task; p1 asks p2 first, p2 asks p3 first, p3 removes p2: p3's task stayed open next to p1's reopened one
      run(
        [
          node('any', { type: 'people', people: ['p1'] }, ['p1']),
          node('sequential', { type: 'role', role: 'dean' }, ['p1']),
        ],
        [
          byRightful({ kind: 'approve' }),
          byRightful({ kind: 'addSigner', person: 1, position: 'before' }),
          byRightful({ kind: 'addSigner', person: 2, position: 'before' }),
          byRightful({ kind: 'removeSigner', signer: 14 }),
        ],
        every,
      );
    });

    it('a delegate cannot hand a pooled task back to the pool (TASK.DELEGATED): it stayed delegated with nobody holding it, then claimable by its delegator, who could not decide', () => {
      // n1 resolves to nobody: admin claims the escalation, delegates it to p1, p1 unclaims
      run(
        [node('any', { type: 'people', people: ['p1'] }, []), node('any', { type: 'role', role: 'reviewer' }, [])],
        [byRightful({ kind: 'claim' }), byRightful({ kind: 'delegate', person: 0 }), byRightful({ kind: 'unclaim' })],
        every,
      );
    });
  });
});

/** Before each decision up to three collaboration steps (while any is left); the rightful handler then approves the first open task. */
function completeWith(specs: readonly NodeSpec[], collaboration: ReadonlyArray<{ step: Step; minutes: number }>): void {
  const w = new World(specs);
  const a = w.start();
  let minute = 1;
  for (let n = 0; a.state === 'in_progress'; n++) {
    expect(n, 'no progress').to.be.below(100);
    for (const extra of collaboration.slice(3 * n, 3 * n + 3)) {
      minute += extra.minutes;
      if (a.state === 'in_progress') w.perform(a, w.concrete(a, extra.step, minute));
    }
    if (a.state !== 'in_progress') break; // a removed signer can settle the last node
    minute += 1;
    const t = a.tasks.find((x) => x.status === 'open')!;
    if (t.delegatedBy)
      expect(a.resolveDelegation(t.id, t.assignee!, undefined, at(minute)).ok, 'the delegate hands back').to.equal(
        true,
      );
    const handler = t.assignee ?? w.holders(t)[0]!;
    if (!t.assignee) expect(a.claim(t.id, handler, true, at(minute)).ok, 'claim').to.equal(true);
    const r = a.approve(t.id, handler, undefined, w.ctx(minute));
    expect(r.ok ? 'ok' : r.error.code, `${handler} approves ${t.id}`).to.equal('ok');
  }
  expectCompletedInOrder(a, specs);
}

/** Completed, having passed each node that applies in order and skipped (and recorded) the others. */
function expectCompletedInOrder(a: Application, specs: readonly NodeSpec[]): void {
  expect(a.state).to.equal('completed');
  const applying = specs.map((s, i) => (s.applies ? keyOf(i) : null)).filter((k) => k !== null);
  expect(snapshot(a).passedNodes).to.deep.equal(['apply', ...applying]);
  expect(a.recorded.filter((h) => h.action === 'node-passed').map((h) => h.node)).to.deep.equal(applying);
  expect(a.recorded.filter((h) => h.action === 'node-skipped').map((h) => h.node)).to.deep.equal(
    specs.map((s, i) => (s.applies ? null : keyOf(i))).filter((k) => k !== null),
  );
}
