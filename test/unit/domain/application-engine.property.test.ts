import { expect } from 'chai';
import fc from 'fast-check';
import { SIGN_MODES, type ProcessDefinition, type SignMode } from '../../../src/domain/process-definition/process-definition.js';
import { Application, type ActionError, type ApplicationProps } from '../../../src/domain/application/application.entity.js';
import { APPLICATION_STATES, isTerminal, type EngineContext, type ResolvedHandlers } from '../../../src/domain/application/application-state.js';
import { replayHistory } from '../../../src/domain/application/history-replay.js';
import { isLive, type Task } from '../../../src/domain/application/task.js';
import type { Result } from '../../../src/domain/shared/result.js';

const PEOPLE = ['p1', 'p2', 'p3', 'p4'] as const;
const APPLICANT = { id: 's001', type: 'student', unit: 'cs' } as const;
const ADMIN = 'admin';
const ESCALATION = { role: 'service-admin', unit: 'academic-affairs' };
const EVERYONE = [...PEOPLE, ADMIN, APPLICANT.id, 'stranger'];
const T0 = Date.UTC(2024, 4, 6, 9, 0);
const at = (step: number): Date => new Date(T0 + step * 60_000);
const NUM_RUNS = 300;

// ---- generated definitions --------------------------------------------------------------------

interface NodeSpec {
  mode: SignMode;
  passRatio: number;
  rule: { type: 'people'; people: string[] } | { type: 'role'; role: string };
  /** Whom the rule resolves to at run time: active people of a people rule, members of a pool; [] escalates. */
  resolved: string[];
  applies: boolean;
}

const nodeSpec: fc.Arbitrary<NodeSpec> = fc.record({
  mode: fc.constantFrom(...SIGN_MODES),
  passRatio: fc.constantFrom(0.34, 0.5, 0.66, 1),
  rule: fc.oneof(
    { weight: 3, arbitrary: fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 }).map((people) => ({ type: 'people' as const, people })) },
    { weight: 1, arbitrary: fc.constantFrom('reviewer', 'dean').map((role) => ({ type: 'role' as const, role })) },
  ),
  applies: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
}).chain((n) => (n.rule.type === 'people'
  ? fc.oneof({ weight: 5, arbitrary: fc.constant(n.rule.people) }, { weight: 1, arbitrary: fc.subarray(n.rule.people) })
  : fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 0, maxLength: 3 })
).map((resolved) => ({ ...n, resolved })));

const keyOf = (i: number): string => `n${i + 1}`;

function toDefinition(specs: readonly NodeSpec[]): ProcessDefinition {
  return {
    form: { type: 'object', properties: {} },
    nodes: [
      { key: 'apply', name: '申请', kind: 'start' },
      ...specs.map((s, i) => ({
        key: keyOf(i), name: keyOf(i), kind: i === specs.length - 1 ? 'complete' as const : 'review' as const,
        handlers: s.rule.type === 'people' ? s.rule : { type: 'role' as const, role: s.rule.role, unit: '$applicant.unit' },
        mode: s.mode, ...(s.mode === 'ratio' ? { passRatio: s.passRatio } : {}), timeLimit: { workingDays: 2 },
      })),
    ],
  };
}

// ---- generated actions ------------------------------------------------------------------------

/** `right`: the task's rightful handler (or a holder of its pool); otherwise EVERYONE[other]. */
interface ActorPick { right: boolean; other: number }
type Step =
  | { kind: 'approve' | 'reject' | 'claim' | 'unclaim'; task: number; actor: ActorPick }
  /** `passed`: one of the nodes passed so far (a valid target); `named`: any key, valid or not. */
  | { kind: 'returnTo'; task: number; actor: ActorPick; target: { passed: number } | { named: string } }
  | { kind: 'withdraw' | 'cancel'; byApplicant: boolean }
  | { kind: 'resubmit' };

/** A step made concrete: which task, which person, which target. */
type Action =
  | { kind: 'approve' | 'reject' | 'claim' | 'unclaim'; taskId: string; actor: string; holdsPool: boolean }
  | { kind: 'returnTo'; taskId: string; actor: string; target: string }
  | { kind: 'withdraw' | 'cancel' | 'resubmit'; actor: string };

const actorPick: fc.Arbitrary<ActorPick> = fc.record({
  right: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  other: fc.nat(20),
});
const taskPick = fc.nat(20);
const RETURN_TARGETS = ['applicant', 'apply', 'n1', 'n2', 'n3', 'n4', 'nowhere'];
const returnTarget = fc.oneof(fc.record({ passed: fc.nat(5) }), fc.record({ named: fc.constantFrom(...RETURN_TARGETS) }));

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('approve' as const), task: taskPick, actor: actorPick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), task: taskPick, actor: actorPick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('claim' as const), task: taskPick, actor: actorPick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unclaim' as const), task: taskPick, actor: actorPick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('returnTo' as const), task: taskPick, actor: actorPick, target: returnTarget }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('withdraw' as const, 'cancel' as const), byApplicant: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resubmit' as const) }) },
);

const scenario = fc.record({
  specs: fc.array(nodeSpec, { minLength: 2, maxLength: 4 }),
  steps: fc.array(step, { maxLength: 40, size: 'max' }),
});

// ---- the world around one application ---------------------------------------------------------

class World {
  private ids = 0;
  readonly def: ProcessDefinition;
  constructor(readonly specs: readonly NodeSpec[]) { this.def = toDefinition(specs); }

  spec(key: string): NodeSpec | undefined { return this.specs[Number(key.slice(1)) - 1]; }

  ctx(n: number): EngineContext {
    return {
      resolve: (key): ResolvedHandlers => {
        const s = this.spec(key)!;
        return s.rule.type === 'role'
          ? { kind: 'pool', role: s.rule.role, unit: APPLICANT.unit, people: [...s.resolved] }
          : { kind: 'people', people: [...s.resolved] };
      },
      applies: (key) => this.spec(key)?.applies ?? true,
      escalation: ESCALATION,
      newId: () => `t${++this.ids}`,
      at: at(n),
    };
  }

  /** Who holds the pool a task is offered to. */
  holders(t: Task): string[] {
    if (!t.candidate) return [];
    if (t.reason === 'NO_HANDLER') return [ADMIN];
    return this.spec(t.nodeKey)?.resolved ?? [];
  }

  start(): Application {
    const a = Application.draft({ id: 'app-1', itemId: 'si-1', owningUnit: 'cs', versionId: 'ver-1', applicant: APPLICANT, form: {}, at: at(0) }, this.def);
    const r = a.submit('2024-000001', this.ctx(1));
    expect(r.ok).to.equal(true);
    return a;
  }

  /** Turns a generated step into a concrete action against the application as it stands. */
  concrete(a: Application, s: Step): Action {
    switch (s.kind) {
      case 'resubmit': return { kind: 'resubmit', actor: APPLICANT.id };
      case 'withdraw':
      case 'cancel': return { kind: s.kind, actor: s.byApplicant ? APPLICANT.id : 'p1' };
      default: break;
    }
    const liveTasks = a.tasks.filter(isLive);
    const t = liveTasks[s.task % Math.max(1, liveTasks.length)] ?? a.tasks[s.task % Math.max(1, a.tasks.length)];
    const taskId = t?.id ?? 'no-such-task';
    const rightful = t ? (t.assignee ?? this.holders(t)[s.actor.other % Math.max(1, this.holders(t).length)]) : undefined;
    const actor = s.actor.right && rightful ? rightful : EVERYONE[s.actor.other % EVERYONE.length]!;
    if (s.kind !== 'returnTo') return { kind: s.kind, taskId, actor, holdsPool: t ? this.holders(t).includes(actor) : false };
    const passed = a.snapshot().passedNodes.slice(1);
    const target = 'named' in s.target ? s.target.named : passed[s.target.passed % Math.max(1, passed.length)] ?? 'applicant';
    return { kind: 'returnTo', taskId, actor, target };
  }

  perform(a: Application, act: Action, n: number): Result<void, ActionError> {
    switch (act.kind) {
      case 'resubmit': return a.submit('2024-000002', this.ctx(n));
      case 'withdraw': return a.withdraw(act.actor, at(n));
      case 'cancel': return a.cancel(act.actor, 'no longer needed', at(n));
      case 'approve': return a.approve(act.taskId, act.actor, undefined, this.ctx(n));
      case 'reject': return a.reject(act.taskId, act.actor, 'not acceptable', this.ctx(n));
      case 'claim': return a.claim(act.taskId, act.actor, act.holdsPool, at(n));
      case 'unclaim': return a.unclaim(act.taskId, act.actor, at(n));
      case 'returnTo': return a.returnTo(act.taskId, act.actor, act.target, 'please revise', this.ctx(n));
    }
  }
}

/**
 * The rules of the brief, written independently of the engine: 'ok' or the code the action must
 * be refused with, judged on the aggregate as it was before the action.
 */
function expectedOutcome(before: ApplicationProps, act: Action): string {
  const { state } = before;
  switch (act.kind) {
    case 'resubmit': return state === 'draft' || state === 'returned' ? 'ok' : 'APPLICATION.NOT_SUBMITTABLE';
    case 'cancel':
      if (act.actor !== before.applicant.id) return 'APPLICATION.NOT_APPLICANT';
      return isTerminal(state) || state === 'draft' ? 'APPLICATION.NOT_CANCELLABLE' : 'ok';
    case 'withdraw': {
      if (act.actor !== before.applicant.id) return 'APPLICATION.NOT_APPLICANT';
      if (state !== 'in_progress') return 'APPLICATION.NOT_WITHDRAWABLE';
      const current = before.tasks.filter((t) => t.nodeKey === before.activeNode && t.activation === before.activations[before.activeNode!]);
      return current.some((t) => t.outcome !== null) ? 'APPLICATION.HANDLER_ALREADY_ACTED' : 'ok';
    }
    default: break;
  }
  const t = before.tasks.find((x) => x.id === act.taskId);
  if (!t) return 'TASK.NOT_FOUND';
  if (t.status !== 'open' || state !== 'in_progress') return 'TASK.ALREADY_HANDLED';
  if (act.kind === 'claim') {
    if (t.assignee !== null) return 'TASK.ALREADY_CLAIMED';
    return t.candidate && act.holdsPool ? 'ok' : 'TASK.NOT_CANDIDATE';
  }
  if (t.assignee !== act.actor) return 'TASK.NOT_YOURS';
  if (act.kind === 'unclaim') return t.candidate ? 'ok' : 'TASK.NOT_POOLED';
  if (act.kind === 'returnTo' && !['applicant', 'apply', ...before.passedNodes].includes(act.target)) return 'APPLICATION.RETURN_TARGET_NOT_PASSED';
  return 'ok';
}

// ---- invariants ---------------------------------------------------------------------------------

type Check = (a: Application, w: World, previous: ApplicationProps, r: Result<void, ActionError> | null, act: Action | null) => void;

/** Starts the generated application, applies every step and runs `check` after submit and after every step. */
function run(specs: readonly NodeSpec[], steps: readonly Step[], check: Check): void {
  const w = new World(specs);
  const a = w.start();
  let previous = a.snapshot();
  check(a, w, previous, null, null);
  steps.forEach((s, i) => {
    const act = w.concrete(a, s);
    const r = w.perform(a, act, i + 2);
    check(a, w, previous, r, act);
    previous = a.snapshot();
  });
}

const noOrphans: Check = (a) => {
  const s = a.snapshot();
  const liveTasks = s.tasks.filter(isLive);
  if (s.state !== 'in_progress') {
    expect(liveTasks, `live tasks while ${s.state}`).to.deep.equal([]);
    expect(s.activeNode).to.equal(null);
    return;
  }
  expect(s.activeNode, 'an in-progress application has an active node').to.be.a('string');
  const activation = s.activations[s.activeNode!];
  for (const t of liveTasks) {
    expect({ node: t.nodeKey, activation: t.activation }, `orphaned task ${t.id}`).to.deep.equal({ node: s.activeNode, activation });
  }
  expect(liveTasks.some((t) => t.status === 'open'), 'an in-progress application has an open task').to.equal(true);
};

const stateIsOneAndTerminalAbsorbs: Check = (a, _w, previous) => {
  expect(APPLICATION_STATES).to.include(a.state);
  if (isTerminal(previous.state)) expect(a.snapshot(), `terminal ${previous.state} changed`).to.deep.equal(previous);
};

const replayMatches: Check = (a) => {
  expect(replayHistory(a.history)).to.deep.equal({ state: a.state, activeNode: a.activeNode });
};

const seqHasNoGap: Check = (a) => {
  expect(a.history.map((h) => h.seq)).to.deep.equal(a.history.map((_h, i) => i + 1));
};

const sequentialOpensOneAtATime: Check = (a, w) => {
  const open = new Map<string, number>();
  for (const t of a.tasks) {
    if (t.status === 'waiting') expect(w.spec(t.nodeKey)?.mode, `waiting task ${t.id}`).to.equal('sequential');
    if (t.status !== 'open' || w.spec(t.nodeKey)?.mode !== 'sequential') continue;
    const k = `${t.nodeKey}#${t.activation}`;
    open.set(k, (open.get(k) ?? 0) + 1);
  }
  for (const [k, count] of open) expect(count, `open tasks of sequential ${k}`).to.be.at.most(1);
};

const refusedChangesNothing: Check = (a, _w, previous, r) => {
  if (r && !r.ok) expect(a.snapshot(), `refused ${r.error.code} changed the aggregate`).to.deep.equal(previous);
};

const decidesByTheRules: Check = (a, _w, previous, r, act) => {
  if (!r || !act) return;
  expect(r.ok ? 'ok' : r.error.code, `${JSON.stringify(act)} on a ${previous.state} application`).to.equal(expectedOutcome(previous, act));
};

/** After an accepted approve/reject, the node passes, rejects or stays pending as its sign mode says. */
const signModeDecides: Check = (a, w, previous, r, act) => {
  if (!r?.ok || !act || (act.kind !== 'approve' && act.kind !== 'reject')) return;
  const task = previous.tasks.find((t) => t.id === act.taskId)!;
  const { mode, passRatio } = w.spec(task.nodeKey)!;
  const counted = previous.tasks
    .filter((t) => t.nodeKey === task.nodeKey && t.activation === task.activation && t.status !== 'cancelled')
    .map((t) => (t.id === task.id ? act.kind === 'approve' ? 'approved' : 'rejected' : t.outcome));
  const n = counted.length;
  const yes = counted.filter((o) => o === 'approved').length;
  const no = counted.filter((o) => o === 'rejected').length;
  let expected: 'passed' | 'rejected' | 'pending' | null;
  switch (mode) {
    case 'any': expected = yes > 0 ? 'passed' : null; break; // what one rejection does in 'any' is not part of the rules tested here
    case 'all':
    case 'sequential': expected = no > 0 ? 'rejected' : yes === n ? 'passed' : 'pending'; break;
    case 'ratio': expected = yes >= passRatio * n - 1e-9 ? 'passed' : n - no < passRatio * n - 1e-9 ? 'rejected' : 'pending'; break;
  }
  const logged = a.history.slice(previous.history.length);
  const actual = a.state === 'rejected' ? 'rejected' : logged.some((h) => h.action === 'node-passed' && h.node === task.nodeKey) ? 'passed' : 'pending';
  if (expected) expect(actual, `${mode} node ${task.nodeKey} (${n} counted, ${yes} yes, ${no} no, ratio ${passRatio})`).to.equal(expected);
  if (actual === 'pending') expect({ node: a.activeNode, activations: a.snapshot().activations }).to.deep.equal({ node: task.nodeKey, activations: previous.activations });
};

const property = (check: Check) => fc.property(scenario, ({ specs, steps }) => run(specs, steps, check));

// ---- properties ---------------------------------------------------------------------------------

describe('Application engine (properties)', function () {
  this.timeout(20_000);

  it('a refused action leaves snapshot() exactly as it was', () => {
    fc.assert(property(refusedChangesNothing), { numRuns: NUM_RUNS });
  });

  it('(a) no live task is orphaned: live tasks belong to the active node and its current activation', () => {
    fc.assert(property(noOrphans), { numRuns: NUM_RUNS });
  });

  it('(b) the state is one of the states and a terminal state is absorbing', () => {
    fc.assert(property(stateIsOneAndTerminalAbsorbs), { numRuns: NUM_RUNS });
  });

  it('(c) replayHistory(history) equals { state, activeNode }', () => {
    fc.assert(property(replayMatches), { numRuns: NUM_RUNS });
  });

  it('(d) history seq numbers are 1..n without a gap', () => {
    fc.assert(property(seqHasNoGap), { numRuns: NUM_RUNS });
  });

  it('(e) a sequential node has at most one open task per activation', () => {
    fc.assert(property(sequentialOpensOneAtATime), { numRuns: NUM_RUNS });
  });

  it('accepts exactly the actions the rules allow and refuses the others with the right code', () => {
    fc.assert(property(decidesByTheRules), { numRuns: NUM_RUNS });
  });

  it("an accepted decision passes, rejects or keeps the node pending as its sign mode says ('ratio' rejects only once the ratio is out of reach)", () => {
    fc.assert(property(signModeDecides), { numRuns: NUM_RUNS });
  });

  it('rightful handlers approving everything complete the application, passing or skipping each node in order', () => {
    fc.assert(fc.property(fc.array(nodeSpec, { minLength: 2, maxLength: 4 }), (specs) => {
      const w = new World(specs);
      const a = w.start();
      for (let n = 2; a.state === 'in_progress'; n++) {
        expect(n, 'no progress').to.be.below(100);
        const t = a.tasks.find((x) => x.status === 'open')!;
        const handler = t.assignee ?? w.holders(t)[0]!;
        if (!t.assignee) expect(a.claim(t.id, handler, true, at(n)).ok).to.equal(true);
        expect(a.approve(t.id, handler, undefined, w.ctx(n)).ok).to.equal(true);
      }
      expect(a.state).to.equal('completed');
      const applying = specs.map((s, i) => (s.applies ? keyOf(i) : null)).filter((k) => k !== null);
      expect(a.snapshot().passedNodes).to.deep.equal(['apply', ...applying]);
      expect(a.history.filter((h) => h.action === 'node-passed').map((h) => h.node)).to.deep.equal(applying);
      expect(a.history.filter((h) => h.action === 'node-skipped').map((h) => h.node))
        .to.deep.equal(specs.map((s, i) => (s.applies ? null : keyOf(i))).filter((k) => k !== null));
    }), { numRuns: NUM_RUNS });
  });
});
