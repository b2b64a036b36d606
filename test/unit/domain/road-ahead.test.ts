import { expect } from 'chai';
import { value } from '../../fixtures/result.js';
import {
  isGatewayKind,
  type ProcessDefinition,
  type ProcessNodeDefinition,
} from '../../../src/domain/process-definition/process-definition.js';
import { Application } from '../../../src/domain/application/application.entity.js';
import type { ApplicationState, EngineContext } from '../../../src/domain/application/application-state.js';
import { roadAhead, SKIP_REASONS, type RoadChecks } from '../../../src/domain/application/road-ahead.js';
import { pathTaken } from '../../../src/domain/application/path-taken.js';
import { processDiagram } from '../../../src/domain/application/process-diagram.js';
import { isLive } from '../../../src/domain/application/task.js';

// The road ahead (后续节点), the path taken and the diagram of one application, over the engine's rules.

const step = (key: string, next?: string[], extra: Partial<ProcessNodeDefinition> = {}): ProcessNodeDefinition => ({
  key,
  name: `${key}-name`,
  kind: 'review',
  handlers: { type: 'people', people: [`p-${key}`] },
  mode: 'any',
  timeLimit: { workingDays: 3 },
  ...(next ? { next } : {}),
  ...extra,
});
const gateway = (
  key: string,
  kind: 'parallel' | 'inclusive' | 'exclusive',
  next: string[],
  extra: Partial<ProcessNodeDefinition> = {},
): ProcessNodeDefinition => ({ key, name: key, kind, next, ...extra });
const start: ProcessNodeDefinition = { key: 'apply', name: 'apply', kind: 'start' };
const done: ProcessNodeDefinition = { ...step('done'), kind: 'complete' };
const FORM = { type: 'object' as const, properties: { amount: { type: 'number' } } };

/** apply → intake → fork → (college → college2 | finance) → join → head → done */
const forked = (
  kind: 'parallel' | 'inclusive' | 'exclusive',
  extra: Partial<ProcessNodeDefinition> = {},
): ProcessDefinition => ({
  form: FORM,
  nodes: [
    start,
    step('intake', ['fork']),
    gateway('fork', kind, ['college', 'finance'], extra),
    step('college', ['college2']),
    step('college2', ['join']),
    step('finance', ['join']),
    gateway('join', kind, ['head']),
    step('head'),
    done,
  ],
});
const chain = (extra: Record<string, Partial<ProcessNodeDefinition>> = {}): ProcessDefinition => ({
  form: FORM,
  nodes: [start, step('a', undefined, extra.a), step('b', undefined, extra.b), step('c', undefined, extra.c), done],
});

/** Checks where nothing is false but what is listed: node keys and 'gateway->target' flows. */
const checks = (falseOnes: string[] = []): RoadChecks => ({
  applies: (k) => !falseOnes.includes(k),
  flowHolds: (g, t) => !falseOnes.includes(`${g}->${t}`),
});
const at = (activeNodes: string[], waitingJoins: string[] = [], state: ApplicationState = 'in_progress') => ({
  state,
  activeNodes,
  waitingJoins,
});
/** The road as `node:status` in order. */
const road = (def: ProcessDefinition, where: ReturnType<typeof at>, c = checks()) =>
  roadAhead(def, where, c).nodes.map((n) => `${n.node}:${n.status}`);

describe('the road ahead (a pure walk over the definition, as the engine would go)', () => {
  it('a chain: every step after the one waiting now, in order, from where each comes', () => {
    const r = roadAhead(chain(), at(['a']), checks());
    expect(r.nodes.map((n) => [n.node, n.status, n.from])).to.deep.equal([
      ['b', 'ahead', ['a']],
      ['c', 'ahead', ['b']],
      ['done', 'ahead', ['c']],
    ]);
    expect(r.nodes[0]).to.include({ name: 'b-name', kind: 'review' });
    expect(r.flows).to.deep.equal([
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'done' },
    ]);
  });

  it('a step whose condition is false is shown skipped ahead, with the reason, and the road goes on past it', () => {
    const r = roadAhead(chain(), at(['a']), checks(['b']));
    expect(r.nodes.map((n) => `${n.node}:${n.status}`)).to.deep.equal(['b:skipped', 'c:ahead', 'done:ahead']);
    expect(r.nodes[0]!.reason).to.equal(SKIP_REASONS.condition);
    const self = roadAhead(chain({ c: { whenApplicantIsApprover: 'skip-node' } }), at(['a']), {
      ...checks(),
      applicantSkips: (k) => k === 'c',
    });
    expect(self.nodes.find((n) => n.node === 'c')).to.include({ status: 'skipped', reason: SKIP_REASONS.applicant });
  });

  it('a parallel block: both branches ahead, the join once, then what follows it', () => {
    const r = roadAhead(forked('parallel'), at(['intake']), checks());
    expect(r.nodes.map((n) => `${n.node}:${n.status}`)).to.deep.equal([
      'fork:ahead',
      'college:ahead',
      'college2:ahead',
      'finance:ahead',
      'join:ahead',
      'head:ahead',
      'done:ahead',
    ]);
    expect(r.nodes.find((n) => n.node === 'join')!.from.sort()).to.deep.equal(['college2', 'finance']);
  });

  it('an inclusive gateway with one flow false: only the branches whose flow holds', () => {
    const def = forked('inclusive', { conditions: { college: { '>': [{ var: 'form.amount' }, 1000] } } });
    expect(road(def, at(['intake']), checks(['fork->college']))).to.deep.equal([
      'fork:ahead',
      'finance:ahead',
      'join:ahead',
      'head:ahead',
      'done:ahead',
    ]);
    expect(road(def, at(['intake']))).to.include.members(['college:ahead', 'college2:ahead', 'finance:ahead']);
  });

  it('an exclusive gateway: the first flow that holds, else its default', () => {
    const def = forked('exclusive', { conditions: { college: { '==': [1, 1] } }, default: 'finance' });
    expect(road(def, at(['intake']), checks(['fork->college']))).to.deep.equal([
      'fork:ahead',
      'finance:ahead',
      'join:ahead',
      'head:ahead',
      'done:ahead',
    ]);
    expect(road(def, at(['intake']))).to.deep.equal([
      'fork:ahead',
      'college:ahead',
      'college2:ahead',
      'join:ahead',
      'head:ahead',
      'done:ahead',
    ]);
  });

  it('waiting at one branch while the other branch arrived at the join: the rest of the branch, the join waiting, then on', () => {
    const r = roadAhead(forked('parallel'), at(['college'], ['join']), checks());
    expect(r.nodes.map((n) => `${n.node}:${n.status}`)).to.deep.equal([
      'college2:ahead',
      'join:waiting',
      'head:ahead',
      'done:ahead',
    ]);
    expect(r.nodes.find((n) => n.node === 'join')!.from).to.deep.equal(['college2']);
    // both branches waiting at once: neither's steps are listed ahead again
    expect(road(forked('parallel'), at(['college', 'finance']))).to.deep.equal([
      'college2:ahead',
      'join:ahead',
      'head:ahead',
      'done:ahead',
    ]);
  });

  it('nothing ahead once completed, rejected, withdrawn or cancelled; a draft or a returned one starts again', () => {
    for (const state of ['completed', 'rejected', 'withdrawn', 'cancelled'] as const)
      expect(roadAhead(chain(), at([], [], state), checks()).nodes, state).to.deep.equal([]);
    expect(road(chain(), at([], [], 'draft'))).to.deep.equal(['a:ahead', 'b:ahead', 'c:ahead', 'done:ahead']);
    expect(road(chain(), at([], [], 'returned'), checks(['a']))).to.deep.equal([
      'a:skipped',
      'b:ahead',
      'c:ahead',
      'done:ahead',
    ]);
  });

  it('a step with several successors takes the first that applies; when none does, all are skipped', () => {
    const def: ProcessDefinition = {
      form: FORM,
      nodes: [start, step('a', ['x', 'y']), step('x', ['done']), step('y', ['z']), step('z'), done],
    };
    expect(road(def, at(['a']), checks(['x']))).to.deep.equal(['y:ahead', 'z:ahead', 'done:ahead']);
    expect(road(def, at(['a']), checks(['x', 'y']))).to.deep.equal(['x:skipped', 'y:skipped', 'done:ahead']);
  });

  describe('agrees with the engine', () => {
    const ctxOf = (falseOnes: string[], minute: number): EngineContext => ({
      resolve: (key) => ({ kind: 'people', people: [`p-${key}`] }),
      applies: (k) => !falseOnes.includes(k),
      flowHolds: (g, t) => !falseOnes.includes(`${g}->${t}`),
      escalation: { role: 'service-admin', unit: 'cs' },
      dueAt: () => null,
      newId: () => `t${minute}-${Math.random()}`,
      at: new Date(Date.UTC(2024, 4, 6, 9, minute)),
    });
    /** Approves every live task, one at a time, until the application ends; the steps it opened, in order. */
    const runToEnd = (def: ProcessDefinition, falseOnes: string[], a: Application, minute: number): string[] => {
      const opened: string[] = [];
      for (let m = minute; a.state === 'in_progress'; m++) {
        const t = a.tasks.find(isLive)!;
        const before = a.recorded.length;
        value(a.approve(t.id, t.assignee!, undefined, ctxOf(falseOnes, m)));
        opened.push(
          ...a.recorded
            .slice(before)
            .filter((h) => h.action === 'node-activated')
            .map((h) => h.node!),
        );
      }
      return opened;
    };

    for (const [name, def, falseOnes] of [
      ['a chain with a skipped step', chain(), ['b']],
      ['a parallel block', forked('parallel'), []],
      [
        'an inclusive split with one flow false',
        forked('inclusive', { conditions: { college: { '==': [1, 1] } } }),
        ['fork->college'],
      ],
      [
        'an exclusive default',
        forked('exclusive', { conditions: { college: { '==': [1, 1] } }, default: 'finance' }),
        ['fork->college'],
      ],
    ] as const)
      it(`${name}: the steps ahead are the steps the engine opens`, () => {
        const a = Application.draft(
          {
            id: 'a1',
            itemId: 'i1',
            owningUnit: 'cs',
            versionId: 'v1',
            applicant: { id: 's001', type: 'student', unit: 'cs' },
            form: {},
            at: new Date(0),
          },
          def,
        );
        value(a.submit('2024-000001', ctxOf([...falseOnes], 1)));
        const first = a.activeNodes[0]!;
        const ahead = roadAhead(
          def,
          { state: a.state, activeNodes: a.activeNodes, waitingJoins: [] },
          checks([...falseOnes]),
        );
        const opened = runToEnd(def, [...falseOnes], a, 2);
        const steps = ahead.nodes.filter((n) => n.status === 'ahead' && !isGatewayKind(n.kind)).map((n) => n.node);
        expect(steps.sort()).to.deep.equal(opened.filter((k) => k !== first).sort());
      });
  });
});

describe('the path taken and the diagram', () => {
  const ctx = (minute: number): EngineContext => ({
    resolve: (key) => ({ kind: 'people', people: [`p-${key}`] }),
    applies: () => true,
    flowHolds: () => true,
    escalation: { role: 'service-admin', unit: 'cs' },
    dueAt: () => null,
    newId: () => `t${minute}-${Math.random()}`,
    at: new Date(Date.UTC(2024, 4, 6, 9, minute)),
  });
  const submitted = (def: ProcessDefinition) => {
    const a = Application.draft(
      {
        id: 'a1',
        itemId: 'i1',
        owningUnit: 'cs',
        versionId: 'v1',
        applicant: { id: 's001', type: 'student', unit: 'cs' },
        form: {},
        at: new Date(Date.UTC(2024, 4, 6, 9, 0)),
      },
      def,
    );
    value(a.submit('2024-000001', ctx(1)));
    return a;
  };
  const approve = (a: Application, node: string, minute: number) => {
    const t = a.tasks.find((x) => x.nodeKey === node && isLive(x))!;
    value(a.approve(t.id, `p-${node}`, undefined, ctx(minute)));
  };
  const diagram = (a: Application) =>
    processDiagram(a.process, a.current, a.recorded, roadAhead(a.process, a.current, checks()));
  const states = (a: Application) => Object.fromEntries(diagram(a).nodes.map((n) => [n.key, n.state]));

  it('one branch passed, the other active: the path says who approved what and when; the diagram shows each node', () => {
    const def = forked('parallel');
    const a = submitted(def);
    approve(a, 'intake', 2);
    approve(a, 'finance', 3);
    const path = pathTaken(def, a.recorded, a.tasks);
    expect(path.map((s) => `${s.node}:${s.outcome}`)).to.deep.equal([
      'apply:submitted',
      'intake:approved',
      'finance:approved',
    ]);
    expect(path[1]!.actors).to.deep.equal([
      { person: 'p-intake', outcome: 'approved', at: new Date(Date.UTC(2024, 4, 6, 9, 2)).toISOString() },
    ]);
    expect(path[0]!.actors[0]!.person).to.equal('s001');
    expect(states(a)).to.deep.equal({
      apply: 'passed',
      intake: 'passed',
      fork: 'passed',
      college: 'active',
      college2: 'ahead',
      finance: 'passed',
      join: 'waiting',
      head: 'ahead',
      done: 'ahead',
    });
    const edges = diagram(a).edges;
    const edge = (from: string, to: string) => edges.find((e) => e.from === from && e.to === to)!;
    expect(edge('finance', 'join')).to.include({ taken: true, ahead: false });
    expect(edge('college', 'college2')).to.include({ taken: false, ahead: true });
    expect(edge('fork', 'college')).to.include({ taken: true, condition: false, default: false });
    expect(edges).to.have.length(9);
  });

  it('a skipped step and a flow not taken; a rejection ends the road', () => {
    const def = forked('exclusive', { conditions: { college: { '==': [1, 1] } }, default: 'finance' });
    const a = submitted(def);
    approve(a, 'intake', 2);
    approve(a, 'college', 3);
    const t = a.tasks.find((x) => x.nodeKey === 'college2' && isLive(x))!;
    value(a.reject(t.id, 'p-college2', '不符合', ctx(4)));
    expect(
      pathTaken(def, a.recorded, a.tasks)
        .map((s) => `${s.node}:${s.outcome}`)
        .slice(-1),
    ).to.deep.equal(['college2:rejected']);
    const s = states(a);
    expect(s).to.include({ college: 'passed', college2: 'rejected', finance: 'not-taken', head: 'not-taken' });
    const d = diagram(a);
    expect(d.edges.find((e) => e.from === 'fork' && e.to === 'finance')).to.include({ default: true, taken: false });
    expect(d.edges.find((e) => e.from === 'fork' && e.to === 'college')).to.include({ condition: true, taken: true });
    expect(d.nodes.every((n) => n.x >= 0 && n.y >= 0 && n.width > 0)).to.equal(true);
  });
});
