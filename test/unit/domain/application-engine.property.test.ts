import { expect } from 'chai';
import fc from 'fast-check';
import {
  downstreamOf,
  SIGN_MODES,
  type ProcessDefinition,
  type SignMode,
} from '../../../src/domain/process-definition/process-definition.js';
import { Application, type ActionError } from '../../../src/domain/application/application.entity.js';
import {
  APPLICATION_STATES,
  isTerminal,
  type EngineContext,
  type ResolvedHandlers,
} from '../../../src/domain/application/application-state.js';
import { replayHistory } from '../../../src/domain/application/history-replay.js';
import { isLive, type Task } from '../../../src/domain/application/task.js';
import type { Result } from '../../../src/domain/shared/result.js';
import { lastUrgedAt, snapshot, type Snapshot } from '../../fixtures/application-snapshot.js';

// Random process definitions and random action sequences (the process actions and working together
// on a task) against one application, with the structural invariants checked after every step. The
// machinery is exported to application-collaboration.property.test.ts, which holds the independent
// model of every action's rules, the sign modes, the invariants of collaboration and the happy paths.

const PEOPLE = ['p1', 'p2', 'p3', 'p4'] as const;
const APPLICANT = { id: 's001', type: 'student', unit: 'cs' } as const;
const ADMIN = 'admin';
const ESCALATION = { role: 'service-admin', unit: 'academic-affairs' };
const EVERYONE = [...PEOPLE, ADMIN, APPLICANT.id, 'stranger'];
export const URGE_WINDOW_MINUTES = 30;
const T0 = Date.UTC(2024, 4, 6, 9, 0);
export const at = (minute: number): Date => new Date(T0 + minute * 60_000);
export const NUM_RUNS = 300;

// ---- generated definitions --------------------------------------------------------------------

export interface NodeSpec {
  mode: SignMode;
  passRatio: number;
  rule: { type: 'people'; people: string[] } | { type: 'role'; role: string };
  /** Whom the rule resolves to at run time: active people of a people rule, members of a pool; [] escalates. */
  resolved: string[];
  applies: boolean;
}

export const nodeSpec: fc.Arbitrary<NodeSpec> = fc
  .record({
    mode: fc.constantFrom(...SIGN_MODES),
    passRatio: fc.constantFrom(0.34, 0.5, 0.66, 1),
    rule: fc.oneof(
      {
        weight: 1,
        arbitrary: fc
          .uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 })
          .map((people) => ({ type: 'people' as const, people })),
      },
      { weight: 1, arbitrary: fc.constantFrom('reviewer', 'dean').map((role) => ({ type: 'role' as const, role })) },
    ),
    applies: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  })
  .chain((n) =>
    (n.rule.type === 'people'
      ? fc.tuple(
          fc.oneof(
            { weight: 5, arbitrary: fc.constant(n.rule.people) },
            { weight: 1, arbitrary: fc.subarray(n.rule.people) },
          ),
          fc.constant(n.mode),
        )
      : // half of the pools are offered whole ('any'): one task to claim
        fc.tuple(
          fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 0, maxLength: 3 }),
          fc.constantFrom(n.mode, 'any' as const),
        )
    ).map(([resolved, mode]) => ({ ...n, resolved, mode })),
  );

export const keyOf = (i: number): string => `n${i + 1}`;

/**
 * Where the nodes branch: `none` is a chain; otherwise a gateway `fork` after node `after` (0-based)
 * opens two branches of one step each, which meet at a gateway `join` of the same kind. An exclusive
 * or inclusive fork takes its first branch only when `first` holds; the second is its default
 * (exclusive) or always taken (inclusive).
 */
export interface Shape {
  gateway: 'none' | 'parallel' | 'inclusive' | 'exclusive';
  after: number;
  first: boolean;
}
export const CHAIN: Shape = { gateway: 'none', after: 0, first: true };

export const shape: fc.Arbitrary<Shape> = fc.record({
  gateway: fc.constantFrom(
    'none' as const,
    'parallel' as const,
    'parallel' as const,
    'inclusive' as const,
    'exclusive' as const,
  ),
  after: fc.nat(2),
  first: fc.boolean(),
});

/** The two branch steps of a shape over `count` nodes, or null when it is a chain (or too short to branch). */
export function branchesOf(s: Shape, count: number): [number, number] | null {
  if (s.gateway === 'none') return null;
  const after = Math.min(s.after, count - 4);
  return after < 0 ? null : [after + 1, after + 2];
}

function renamed(def: ProcessDefinition, to: (key: string) => string): ProcessDefinition {
  return {
    ...def,
    nodes: def.nodes.map((n) => ({
      ...n,
      key: to(n.key),
      ...(n.next ? { next: n.next.map(to) } : {}),
      ...(n.conditions
        ? { conditions: Object.fromEntries(Object.entries(n.conditions).map(([k, c]) => [to(k), c])) }
        : {}),
      ...(n.default ? { default: to(n.default) } : {}),
    })),
  };
}

function toDefinition(specs: readonly NodeSpec[], s: Shape): ProcessDefinition {
  const steps: ProcessDefinition['nodes'] = specs.map((spec, i) => ({
    key: keyOf(i),
    name: keyOf(i),
    kind: i === specs.length - 1 ? ('complete' as const) : ('review' as const),
    handlers:
      spec.rule.type === 'people'
        ? spec.rule
        : { type: 'role' as const, role: spec.rule.role, unit: '$applicant.unit' },
    mode: spec.mode,
    ...(spec.mode === 'ratio' ? { passRatio: spec.passRatio } : {}),
    timeLimit: { workingDays: 2 },
  }));
  const start = { key: 'apply', name: '申请', kind: 'start' as const };
  const branches = branchesOf(s, specs.length);
  if (!branches || s.gateway === 'none') return { form: { type: 'object', properties: {} }, nodes: [start, ...steps] };
  const [b1, b2] = branches;
  const kind = s.gateway;
  const fork = {
    key: 'fork',
    name: 'fork',
    kind,
    next: [keyOf(b1), keyOf(b2)],
    ...(kind === 'parallel' ? {} : { conditions: { [keyOf(b1)]: { '==': [1, 1] } } }),
    ...(kind === 'exclusive' ? { default: keyOf(b2) } : {}),
  };
  const join = { key: 'join', name: 'join', kind, next: [keyOf(b2 + 1)] };
  steps[b1 - 1]!.next = ['fork'];
  steps[b1]!.next = ['join'];
  steps[b2]!.next = ['join'];
  return {
    form: { type: 'object', properties: {} },
    nodes: [start, ...steps.slice(0, b1), fork, steps[b1]!, steps[b2]!, join, ...steps.slice(b2 + 1)],
  };
}

// ---- generated actions ------------------------------------------------------------------------

/** `right`: the task's rightful handler (its assignee, or a holder of its pool); otherwise EVERYONE[other]. */
interface ActorPick {
  right: boolean;
  other: number;
}
/** `task`: mostly an index into the open tasks; one in five (or when none is open) into every task. */
interface OnTask {
  task: number;
  actor: ActorPick;
}
export type Step =
  | (OnTask & { kind: 'approve' | 'reject' | 'claim' | 'unclaim' | 'resolveDelegation' })
  /** `passed`: one of the nodes passed so far (a valid target); `named`: any key, valid or not. */
  | (OnTask & { kind: 'returnTo'; target: { passed: number } | { named: string } })
  /** `person`: an index into EVERYONE (the applicant included) followed by the live holders of the task's step. */
  | (OnTask & { kind: 'transfer' | 'delegate' | 'copyTo'; person: number })
  | (OnTask & { kind: 'addSigner'; person: number; position: 'before' | 'after' })
  /** `signer`: one in four an index into every task and an unknown id, one in four into the task's siblings (itself included), else into the other live added ones. */
  | (OnTask & { kind: 'removeSigner'; signer: number })
  /** By the applicant, or by the handler of the picked live task. */
  | { kind: 'comment'; byApplicant: boolean; private: boolean; task: number }
  | { kind: 'urge'; by: string }
  | { kind: 'withdraw' | 'cancel'; byApplicant: boolean }
  | { kind: 'resubmit' }
  /** 拿回: `task` mostly into the approved tasks; by who approved it when `actor.right`. */
  | (OnTask & { kind: 'takeBack' })
  /** 跳转 by an admin to any key, a step or not. */
  | { kind: 'jump'; target: string }
  /** To the other version (its steps renamed n* <-> m*); `complete`: the mapping names every step, else all but the first. */
  | { kind: 'move'; complete: boolean };
/** A step and the minutes the clock moves before it. */
export interface Timed {
  step: Step;
  minutes: number;
}

type TaskAct = { taskId: string; actor: string; holdsPool: boolean; minute: number };
/** A step made concrete against the application as it stands: which task, which people, when. */
export type Action =
  | (TaskAct & { kind: 'approve' | 'reject' | 'claim' | 'unclaim' | 'resolveDelegation' })
  | (TaskAct & { kind: 'returnTo'; target: string })
  | (TaskAct & { kind: 'transfer' | 'delegate' | 'copyTo'; to: string })
  | (TaskAct & { kind: 'addSigner'; to: string; position: 'before' | 'after' })
  | (TaskAct & { kind: 'removeSigner'; signerTaskId: string })
  | (TaskAct & { kind: 'takeBack' })
  | { kind: 'jump'; actor: string; target: string; minute: number }
  | { kind: 'move'; actor: string; complete: boolean; minute: number }
  | { kind: 'comment'; actor: string; private: boolean; minute: number }
  | { kind: 'urge' | 'withdraw' | 'cancel' | 'resubmit'; actor: string; minute: number };

const actorPick: fc.Arbitrary<ActorPick> = fc.record({
  right: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  other: fc.nat(20),
});
const onTask = <K extends string>(kind: K) =>
  fc.record({ kind: fc.constant(kind), task: fc.nat(49), actor: actorPick });
const RETURN_TARGETS = ['applicant', 'apply', 'n1', 'n2', 'n3', 'n4', 'nowhere'];
const returnTarget = fc.oneof(
  fc.record({ passed: fc.nat(5) }),
  fc.record({ named: fc.constantFrom(...RETURN_TARGETS) }),
);

/** Working together on a task. */
export const collaborationStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(onTask('transfer'), fc.nat(20)).map(([s, person]) => ({ ...s, person })) },
  { weight: 3, arbitrary: fc.tuple(onTask('delegate'), fc.nat(20)).map(([s, person]) => ({ ...s, person })) },
  { weight: 2, arbitrary: onTask('resolveDelegation') },
  {
    weight: 5,
    arbitrary: fc
      .tuple(onTask('addSigner'), fc.nat(20), fc.constantFrom('before' as const, 'after' as const))
      .map(([s, person, position]) => ({ ...s, person, position })),
  },
  { weight: 4, arbitrary: fc.tuple(onTask('removeSigner'), fc.nat(40)).map(([s, signer]) => ({ ...s, signer })) },
  { weight: 1, arbitrary: fc.tuple(onTask('copyTo'), fc.nat(20)).map(([s, person]) => ({ ...s, person })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('comment' as const),
      byApplicant: fc.boolean(),
      private: fc.boolean(),
      task: fc.nat(20),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('urge' as const),
      by: fc.constantFrom(APPLICANT.id, APPLICANT.id, 'p1', ADMIN),
    }),
  },
);

/** Moving the process on (or ending it). */
const processStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: onTask('approve') },
  { weight: 1, arbitrary: onTask('reject') },
  { weight: 3, arbitrary: onTask('claim') },
  { weight: 2, arbitrary: onTask('unclaim') },
  { weight: 2, arbitrary: fc.tuple(onTask('returnTo'), returnTarget).map(([s, target]) => ({ ...s, target })) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('withdraw' as const, 'cancel' as const), byApplicant: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resubmit' as const) }) },
  { weight: 2, arbitrary: onTask('takeBack') },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('jump' as const),
      target: fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5', 'm2', 'fork', 'apply', 'nowhere'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      complete: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
);

/** Mostly a few minutes between steps, sometimes more than the urge window. */
export const timed = (s: fc.Arbitrary<Step>): fc.Arbitrary<Timed> =>
  fc.record({ step: s, minutes: fc.oneof({ weight: 4, arbitrary: fc.nat(5) }, { weight: 1, arbitrary: fc.nat(60) }) });

/** `pace`: the weight of process steps against 4 of collaboration; a low one keeps an application longer at a step. */
const scenario = (pace: number) =>
  fc.record({
    specs: fc.array(nodeSpec, { minLength: 2, maxLength: 5 }),
    shape,
    steps: fc.array(
      timed(fc.oneof({ weight: pace, arbitrary: processStep }, { weight: 4, arbitrary: collaborationStep })),
      { maxLength: pace > 1 ? 40 : 60, size: 'max' },
    ),
  });

// ---- the world around one application ---------------------------------------------------------

export class World {
  private ids = 0;
  readonly def: ProcessDefinition;
  /** The two versions an application moves between: the second names its steps m1, m2, … for n1, n2, …. */
  readonly versions: Record<string, ProcessDefinition>;
  constructor(
    readonly specs: readonly NodeSpec[],
    readonly shape: Shape = CHAIN,
  ) {
    this.def = toDefinition(specs, shape);
    this.versions = { 'ver-1': this.def, 'ver-2': renamed(this.def, (k) => k.replace(/^n(\d+)$/, 'm$1')) };
  }

  /** The process of the version an application runs on. */
  defOf(versionId: string): ProcessDefinition {
    return this.versions[versionId]!;
  }

  /** The version to move to, and the mapping of every step of the current one (all but the first when incomplete). */
  move(versionId: string, complete: boolean): { to: string; mapping: Record<string, string> } {
    const to = versionId === 'ver-1' ? 'ver-2' : 'ver-1';
    const steps = this.defOf(versionId).nodes.filter((n) => /^[nm]\d+$/.test(n.key));
    const counterpart = (k: string) => (k.startsWith('n') ? 'm' : 'n') + k.slice(1);
    return {
      to,
      mapping: Object.fromEntries(steps.slice(complete ? 0 : 1).map((n) => [n.key, counterpart(n.key)])),
    };
  }

  spec(key: string): NodeSpec | undefined {
    return this.specs[Number(key.slice(1)) - 1];
  }

  ctx(minute: number): EngineContext {
    return {
      resolve: (key): ResolvedHandlers => {
        const s = this.spec(key)!;
        return s.rule.type === 'role'
          ? { kind: 'pool', role: s.rule.role, unit: APPLICANT.unit, people: [...s.resolved] }
          : { kind: 'people', people: [...s.resolved] };
      },
      applies: (key) => this.spec(key)?.applies ?? true,
      flowHolds: () => this.shape.first,
      escalation: ESCALATION,
      dueAt: () => null,
      newId: () => `t${++this.ids}`,
      at: at(minute),
    };
  }

  /** Who holds the pool a task is offered to. */
  holders(t: Task): string[] {
    if (!t.candidate) return [];
    if (t.reason === 'NO_HANDLER') return [ADMIN];
    return this.spec(t.nodeKey)?.resolved ?? [];
  }

  /** Submitted at minute 1. */
  start(): Application {
    const a = Application.draft(
      { id: 'app-1', itemId: 'si-1', owningUnit: 'cs', versionId: 'ver-1', applicant: APPLICANT, form: {}, at: at(0) },
      this.def,
    );
    const r = a.submit('2024-000001', this.ctx(1));
    expect(r.ok).to.equal(true);
    return a;
  }

  /** Turns a generated step into a concrete action against the application as it stands. */
  concrete(a: Application, s: Step, minute: number): Action {
    switch (s.kind) {
      case 'resubmit':
        return { kind: 'resubmit', actor: APPLICANT.id, minute };
      case 'withdraw':
      case 'cancel':
        return { kind: s.kind, actor: s.byApplicant ? APPLICANT.id : 'p1', minute };
      case 'urge':
        return { kind: 'urge', actor: s.by, minute };
      case 'jump':
        return { kind: 'jump', actor: ADMIN, target: s.target, minute };
      case 'move':
        return { kind: 'move', actor: ADMIN, complete: s.complete, minute };
      case 'takeBack': {
        const approved = a.tasks.filter((x) => x.outcome === 'approved');
        const pick = s.task % 5 === 4 || !approved.length ? a.tasks : approved;
        const t = pick[Math.floor(s.task / 5) % Math.max(1, pick.length)];
        const actor = s.actor.right && t?.actedBy ? t.actedBy : EVERYONE[s.actor.other % EVERYONE.length]!;
        return { kind: 'takeBack', taskId: t?.id ?? 'no-such-task', actor, holdsPool: false, minute };
      }
      default:
        break;
    }
    const open = a.tasks.filter((x) => x.status === 'open');
    const pick = s.task % 5 === 4 || !open.length ? a.tasks : open;
    const t = pick[Math.floor(s.task / 5) % Math.max(1, pick.length)];
    const holders = t ? this.holders(t) : [];
    if (s.kind === 'comment')
      return {
        kind: 'comment',
        actor: s.byApplicant ? APPLICANT.id : (t?.assignee ?? holders[0] ?? 'p1'),
        private: s.private,
        minute,
      };
    const rightful = t?.assignee ?? holders[s.actor.other % Math.max(1, holders.length)];
    const actor = s.actor.right && rightful ? rightful : EVERYONE[s.actor.other % EVERYONE.length]!;
    const base = { taskId: t?.id ?? 'no-such-task', actor, holdsPool: holders.includes(actor), minute };
    const siblings = t ? a.tasks.filter((x) => x.nodeKey === t.nodeKey && x.activation === t.activation) : [];
    switch (s.kind) {
      case 'returnTo': {
        const passed = snapshot(a).passedNodes.slice(1);
        const target =
          'named' in s.target ? s.target.named : (passed[s.target.passed % Math.max(1, passed.length)] ?? 'applicant');
        return { ...base, kind: 'returnTo', target };
      }
      case 'transfer':
      case 'delegate':
      case 'copyTo':
      case 'addSigner': {
        const people = [...EVERYONE, ...siblings.filter(isLive).flatMap((x) => x.assignee ?? [])];
        const to = people[s.person % people.length]!;
        return s.kind === 'addSigner'
          ? { ...base, kind: s.kind, to, position: s.position }
          : { ...base, kind: s.kind, to };
      }
      case 'removeSigner': {
        const added = siblings.filter((x) => x.addedBy && isLive(x) && x.id !== t?.id);
        const pool =
          s.signer % 4 === 0
            ? [...a.tasks, { id: 'no-such-task' }]
            : s.signer % 4 === 1 || !added.length
              ? siblings
              : added;
        return {
          ...base,
          kind: 'removeSigner',
          signerTaskId: pool[Math.floor(s.signer / 4) % Math.max(1, pool.length)]?.id ?? 'no-such-task',
        };
      }
      default:
        return { ...base, kind: s.kind };
    }
  }

  perform(a: Application, act: Action): Result<unknown, ActionError> {
    const when = at(act.minute);
    switch (act.kind) {
      case 'resubmit':
        return a.submit('2024-000002', this.ctx(act.minute));
      case 'withdraw':
        return a.withdraw(act.actor, when);
      case 'cancel':
        return a.cancel(act.actor, 'no longer needed', when);
      case 'takeBack':
        return a.takeBack(act.taskId, act.actor, this.ctx(act.minute));
      case 'jump':
        return a.jumpTo(act.actor, act.target, 'moved by the office', this.ctx(act.minute));
      case 'move': {
        const { to, mapping } = this.move(a.current.versionId, act.complete);
        return a.moveToVersion(
          { versionId: to, definition: this.defOf(to) },
          mapping,
          act.actor,
          'v2',
          this.ctx(act.minute),
        );
      }
      case 'approve':
        return a.approve(act.taskId, act.actor, undefined, this.ctx(act.minute));
      case 'reject':
        return a.reject(act.taskId, act.actor, 'not acceptable', this.ctx(act.minute));
      case 'claim':
        return a.claim(act.taskId, act.actor, act.holdsPool, when);
      case 'unclaim':
        return a.unclaim(act.taskId, act.actor, when);
      case 'returnTo':
        return a.returnTo(act.taskId, act.actor, act.target, 'please revise', this.ctx(act.minute));
      case 'transfer':
        return a.transfer(act.taskId, act.actor, act.to, 'over to you', when);
      case 'delegate':
        return a.delegate(act.taskId, act.actor, act.to, 'please look into it', when);
      case 'resolveDelegation':
        return a.resolveDelegation(act.taskId, act.actor, 'looked into it', when);
      case 'addSigner':
        return a.addSigner(act.taskId, act.actor, act.to, act.position, 'please sign too', this.ctx(act.minute));
      case 'removeSigner':
        return a.removeSigner(act.taskId, act.actor, act.signerTaskId, this.ctx(act.minute));
      case 'copyTo':
        return a.copyTo(act.taskId, act.actor, [act.to], when);
      case 'comment':
        return a.comment(act.actor, 'a note', act.private, when);
      case 'urge':
        return a.urge(act.actor, lastUrgedAt(a, act.actor), URGE_WINDOW_MINUTES, when);
    }
  }
}

// ---- invariants ---------------------------------------------------------------------------------

export type Check = (
  a: Application,
  w: World,
  previous: Snapshot,
  r: Result<unknown, ActionError> | null,
  act: Action | null,
) => void;

/** Starts the generated application, applies every step and runs `check` after submit and after every step. */
export function run(specs: readonly NodeSpec[], steps: readonly Timed[], check: Check, s: Shape = CHAIN): void {
  const w = new World(specs, s);
  const a = w.start();
  let previous = snapshot(a);
  let minute = 1;
  check(a, w, previous, null, null);
  for (const s of steps) {
    minute += s.minutes;
    const act = w.concrete(a, s.step, minute);
    const r = w.perform(a, act);
    check(a, w, previous, r, act);
    previous = snapshot(a);
  }
}

export const property = (check: Check) =>
  fc.property(fc.oneof(scenario(4), scenario(1)), ({ specs, steps, shape: s }) => run(specs, steps, check, s));

const noOrphans: Check = (a) => {
  const s = snapshot(a);
  const liveTasks = s.tasks.filter(isLive);
  expect(s.activeNode, 'the first active node is the one list views show').to.equal(s.activeNodes[0] ?? null);
  if (s.state !== 'in_progress') {
    expect(liveTasks, `live tasks while ${s.state}`).to.deep.equal([]);
    expect({ active: s.activeNodes, waiting: s.waitingJoins }).to.deep.equal({ active: [], waiting: [] });
    return;
  }
  expect(s.activeNodes, 'an in-progress application has an active node').to.not.deep.equal([]);
  for (const node of s.activeNodes)
    expect(
      liveTasks.some((t) => t.nodeKey === node),
      `active node ${node} has no live task`,
    ).to.equal(true);
  for (const t of liveTasks) {
    expect({ node: t.nodeKey, activation: t.activation }, `orphaned task ${t.id}`).to.deep.equal({
      node: s.activeNodes.includes(t.nodeKey) ? t.nodeKey : `one of ${s.activeNodes.join(', ')}`,
      activation: s.activations[t.nodeKey],
    });
  }
};

/**
 * Branches are joined once and never left behind: no live step lies ahead of another (a join passed
 * while a branch was still on its way); a waiting join still has a live branch on its way
 * (else it would have passed: joined never); a join passes only after a branch arrived since it last
 * passed (joined twice); and no step before a join is activated after the join passed, unless a return
 * or a resubmission sent the application back (a join passed while a branch was still on its way).
 */
const branchesJoinOnce: Check = (a) => {
  const s = snapshot(a);
  const def = a.process;
  for (const u of s.activeNodes)
    for (const v of s.activeNodes)
      expect(downstreamOf(def, u).has(v), `${v} is live while ${u}, before it, still is`).to.equal(false);
  for (const join of s.waitingJoins) {
    const upstream = [...s.activeNodes, ...s.waitingJoins.filter((k) => k !== join)];
    expect(
      upstream.some((k) => downstreamOf(def, k).has(join)),
      `join ${join} waits for nothing (active: ${s.activeNodes.join(', ')})`,
    ).to.equal(true);
  }
  let arrivedSinceJoined = false;
  let joined = false;
  for (const h of s.history) {
    if (['submitted', 'returned', 'taken-back', 'jumped', 'moved-version'].includes(h.action)) joined = false;
    if (h.action === 'branch-arrived' && h.node === 'join') arrivedSinceJoined = true;
    if (h.action === 'branches-joined' && h.node === 'join') {
      expect(arrivedSinceJoined, `join passed twice for one arrival at #${h.seq}`).to.equal(true);
      arrivedSinceJoined = false;
      joined = true;
    }
    const known = h.node !== undefined && def.nodes.some((n) => n.key === h.node);
    if (joined && h.action === 'node-activated' && known && downstreamOf(def, h.node!).has('join'))
      expect.fail(`${h.node} activated at #${h.seq} after the join had passed`);
  }
};

/** Terminal states absorb every action; only comments (anyone who may read may comment) are still recorded. */
const stateIsOneAndTerminalAbsorbs: Check = (a, _w, previous, r, act) => {
  expect(APPLICATION_STATES).to.include(a.state);
  if (!isTerminal(previous.state)) return;
  const now = snapshot(a);
  if (act?.kind === 'comment' && r?.ok) {
    expect(now.history.slice(previous.history.length).map((h) => h.action)).to.deep.equal(['commented']);
    expect(
      { ...now, history: previous.history, lastSeq: previous.lastSeq, updatedAt: previous.updatedAt },
      `terminal ${previous.state} changed`,
    ).to.deep.equal(previous);
  } else {
    expect(now, `terminal ${previous.state} changed`).to.deep.equal(previous);
  }
};

const replayMatches: Check = (a) => {
  expect(replayHistory(a.recorded)).to.deep.equal({
    state: a.state,
    activeNodes: [...a.activeNodes].sort(),
    waitingJoins: [...a.current.waitingJoins].sort(),
  });
};

const seqHasNoGap: Check = (a) => {
  expect(a.recorded.map((h) => h.seq)).to.deep.equal(a.recorded.map((_h, i) => i + 1));
};

/** A signer added before someone makes that task wait in any mode; otherwise only sequential nodes wait. */
const sequentialOpensOneAtATime: Check = (a, w) => {
  const open = new Map<string, number>();
  for (const t of a.tasks) {
    if (t.status === 'waiting' && w.spec(t.nodeKey)?.mode !== 'sequential') {
      expect(
        a.tasks.some((x) => x.beforeOf === t.id && isLive(x)),
        `waiting task ${t.id} of a ${w.spec(t.nodeKey)?.mode} node waits for nobody`,
      ).to.equal(true);
    }
    if (t.status !== 'open' || w.spec(t.nodeKey)?.mode !== 'sequential') continue;
    const k = `${t.nodeKey}#${t.activation}`;
    open.set(k, (open.get(k) ?? 0) + 1);
  }
  for (const [k, count] of open) expect(count, `open tasks of sequential ${k}`).to.be.at.most(1);
};

const refusedChangesNothing: Check = (a, _w, previous, r) => {
  if (r && !r.ok) expect(snapshot(a), `refused ${r.error.code} changed the aggregate`).to.deep.equal(previous);
};

// ---- properties ---------------------------------------------------------------------------------

describe('Application engine (properties)', function () {
  this.timeout(120_000); // a bound for a loaded, shared machine, not a speed check

  it('a refused action leaves snapshot() exactly as it was', () => {
    fc.assert(property(refusedChangesNothing), { numRuns: NUM_RUNS });
  });

  it('(a) no live task is orphaned: live tasks belong to the active node and its current activation', () => {
    fc.assert(property(noOrphans), { numRuns: NUM_RUNS });
  });

  it('(b) the state is one of the states and a terminal state absorbs every action but a comment', () => {
    fc.assert(property(stateIsOneAndTerminalAbsorbs), { numRuns: NUM_RUNS });
  });

  it('(f) parallel, inclusive and exclusive branches are joined once, never left waiting, never early', () => {
    fc.assert(property(branchesJoinOnce), { numRuns: NUM_RUNS });
  });

  it('(c) replayHistory(history) equals { state, activeNodes, waitingJoins }', () => {
    fc.assert(property(replayMatches), { numRuns: NUM_RUNS });
  });

  it('(d) history seq numbers are 1..n without a gap', () => {
    fc.assert(property(seqHasNoGap), { numRuns: NUM_RUNS });
  });

  it('(e) a sequential node has at most one open task per activation; elsewhere only the owner of a live before-signer waits', () => {
    fc.assert(property(sequentialOpensOneAtATime), { numRuns: NUM_RUNS });
  });
});
