import { expect } from 'chai';
import { failure, value } from '../../fixtures/result.js';
import { InputError } from '../../../src/domain/shared/errors.js';
import type {
  ProcessDefinition,
  ProcessNodeDefinition,
} from '../../../src/domain/process-definition/process-definition.js';
import { Application } from '../../../src/domain/application/application.entity.js';
import type { EngineContext } from '../../../src/domain/application/application-state.js';
import { replayHistory } from '../../../src/domain/application/history-replay.js';
import { isLive, type Task } from '../../../src/domain/application/task.js';

// Gateways: parallel, inclusive and exclusive branches, their joins, and returns into and out of them.

const at = (minute: number): Date => new Date(Date.UTC(2024, 4, 6, 9, minute));
const APPLICANT = { id: 's001', type: 'student', unit: 'cs' } as const;

const step = (key: string, next?: string[]): ProcessNodeDefinition => ({
  key,
  name: key,
  kind: 'review',
  handlers: { type: 'people', people: [`p-${key}`] },
  mode: 'any',
  timeLimit: { workingDays: 3 },
  ...(next ? { next } : {}),
});
const gateway = (
  key: string,
  kind: 'parallel' | 'inclusive' | 'exclusive',
  next: string[],
  extra: Partial<ProcessNodeDefinition> = {},
): ProcessNodeDefinition => ({ key, name: key, kind, next, ...extra });

/** apply → intake → fork → (college | finance) → join → head → done */
const forked = (
  kind: 'parallel' | 'inclusive' | 'exclusive',
  extra: Partial<ProcessNodeDefinition> = {},
): ProcessDefinition => ({
  form: { type: 'object', properties: { amount: { type: 'number' } } },
  nodes: [
    { key: 'apply', name: 'apply', kind: 'start' },
    step('intake', ['fork']),
    gateway('fork', kind, ['college', 'finance'], extra),
    step('college', ['join']),
    step('finance', ['join']),
    gateway('join', kind, ['head']),
    step('head'),
    { ...step('done'), kind: 'complete' },
  ],
});

class World {
  private ids = 0;
  constructor(
    readonly def: ProcessDefinition,
    /** Gateway flows whose condition does not hold, as 'gateway->target'. */
    private readonly closedFlows: ReadonlySet<string> = new Set(),
  ) {}

  ctx(minute: number): EngineContext {
    return {
      resolve: (key) => ({ kind: 'people', people: [`p-${key}`] }),
      applies: () => true,
      flowHolds: (g, t) => !this.closedFlows.has(`${g}->${t}`),
      escalation: { role: 'service-admin', unit: 'cs' },
      dueAt: () => null,
      newId: () => `t${++this.ids}`,
      at: at(minute),
    };
  }

  submitted(): Application {
    const a = Application.draft(
      { id: 'a1', itemId: 'i1', owningUnit: 'cs', versionId: 'v1', applicant: APPLICANT, form: {}, at: at(0) },
      this.def,
    );
    value(a.submit('2024-000001', this.ctx(1)));
    return a;
  }
}

const taskAt = (a: Application, node: string): Task => {
  const t = a.tasks.find((x) => x.nodeKey === node && isLive(x));
  return t ?? expect.fail(`no live task at ${node} (live at: ${a.activeNodes.join(', ')})`);
};
const approve = (w: World, a: Application, node: string, minute: number): void => {
  value(a.approve(taskAt(a, node).id, `p-${node}`, undefined, w.ctx(minute)));
};
const where = (a: Application) => ({
  state: a.state,
  active: [...a.activeNodes],
  waiting: [...a.current.waitingJoins],
});
const replays = (a: Application) =>
  expect(replayHistory(a.recorded)).to.deep.equal({
    state: a.state,
    activeNodes: [...a.activeNodes].sort(),
    waitingJoins: [...a.current.waitingJoins].sort(),
  });

describe('Parallel, inclusive and exclusive branches', () => {
  it('a parallel gateway opens both branches at once; the join waits for the second, then the run goes on once', () => {
    const w = new World(forked('parallel'));
    const a = w.submitted();
    approve(w, a, 'intake', 2);
    expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['college', 'finance'], waiting: [] });
    expect(a.activeNode, 'list views show the first').to.equal('college');
    approve(w, a, 'finance', 3);
    expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['college'], waiting: ['join'] });
    approve(w, a, 'college', 4);
    expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['head'], waiting: [] });
    expect(a.recorded.filter((h) => h.action === 'branches-joined')).to.have.length(1);
    approve(w, a, 'head', 5);
    approve(w, a, 'done', 6);
    expect(where(a)).to.deep.equal({ state: 'completed', active: [], waiting: [] });
    replays(a);
  });

  it('a rejection on one branch ends the application and closes the other branch', () => {
    const w = new World(forked('parallel'));
    const a = w.submitted();
    approve(w, a, 'intake', 2);
    value(a.reject(taskAt(a, 'college').id, 'p-college', '不符合条件', w.ctx(3)));
    expect(where(a)).to.deep.equal({ state: 'rejected', active: [], waiting: [] });
    expect(a.tasks.filter(isLive)).to.deep.equal([]);
    replays(a);
  });

  it('an inclusive gateway takes every flow whose condition holds, and its join waits for those only', () => {
    const w = new World(
      forked('inclusive', { conditions: { college: { '>': [{ var: 'form.amount' }, 1000] } } }),
      new Set(['fork->college']),
    );
    const a = w.submitted();
    approve(w, a, 'intake', 2);
    expect(where(a).active, 'the unconditioned flow is always taken').to.deep.equal(['finance']);
    approve(w, a, 'finance', 3);
    expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['head'], waiting: [] });
    replays(a);
  });

  it('an exclusive gateway takes the first flow that holds, else its default', () => {
    const conditions = { college: { '==': [1, 1] } };
    const taken = new World(forked('exclusive', { conditions, default: 'finance' }));
    const a = taken.submitted();
    approve(taken, a, 'intake', 2);
    expect(where(a).active).to.deep.equal(['college']);

    const byDefault = new World(forked('exclusive', { conditions, default: 'finance' }), new Set(['fork->college']));
    const b = byDefault.submitted();
    approve(byDefault, b, 'intake', 2);
    expect(where(b).active).to.deep.equal(['finance']);
    approve(byDefault, b, 'finance', 3);
    expect(where(b).active, 'the join passes at once: nothing else can reach it').to.deep.equal(['head']);
  });

  describe('returns and parallel branches (the rules in docs/process-definition.md)', () => {
    it('a return inside a branch rewinds that branch only; the other goes on, and its arrival at the join is forgotten', () => {
      const w = new World({
        ...forked('parallel'),
        nodes: forked('parallel').nodes.flatMap((n) =>
          n.key === 'college' ? [step('college', ['college2']), step('college2', ['join'])] : [n],
        ),
      });
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      approve(w, a, 'college', 4);
      expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['college2'], waiting: ['join'] });
      value(a.returnTo(taskAt(a, 'college2').id, 'p-college2', 'college', '请重新审核', w.ctx(5)));
      expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['college'], waiting: [] });
      expect(a.recorded.at(-2)).to.deep.include({
        action: 'returned',
        detail: { target: 'college', closed: ['college2'], clearedJoins: ['join'] },
      });
      expect(a.current.passedNodes, 'the finance branch stays passed').to.include('finance');
      approve(w, a, 'college', 6);
      approve(w, a, 'college2', 7);
      expect(where(a).active, 'the join passes once the returned branch arrives').to.deep.equal(['head']);
      replays(a);
    });

    it('a return to a node before the gateway closes every branch', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      value(a.returnTo(taskAt(a, 'college').id, 'p-college', 'intake', '材料不全', w.ctx(4)));
      expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['intake'], waiting: [] });
      expect(a.tasks.filter(isLive).map((t) => t.nodeKey)).to.deep.equal(['intake']);
      expect(a.current.passedNodes).to.deep.equal(['apply']);
      approve(w, a, 'intake', 5);
      expect(where(a).active, 'both branches run again').to.deep.equal(['college', 'finance']);
      replays(a);
    });

    it('a return from after the join into one branch re-runs that branch only', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      approve(w, a, 'college', 4);
      value(a.returnTo(taskAt(a, 'head').id, 'p-head', 'finance', '金额有误', w.ctx(5)));
      expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['finance'], waiting: [] });
      approve(w, a, 'finance', 6);
      expect(where(a).active, 'college is not asked again').to.deep.equal(['head']);
      expect(a.tasks.filter((t) => t.nodeKey === 'college')).to.have.length(1);
      replays(a);
    });

    it('a return to a node on a sibling branch is refused, naming the target, and changes nothing', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      const before = JSON.stringify(a.current);
      const e = failure(a.returnTo(taskAt(a, 'college').id, 'p-college', 'finance', '?', w.ctx(4)));
      expect(e.code).to.equal('APPLICATION.RETURN_TARGET_OFF_PATH');
      expect(e).to.be.instanceOf(InputError);
      expect((e as InputError).problems.map((p) => p.path)).to.deep.equal(['/target']);
      expect(JSON.stringify(a.current)).to.equal(before);
    });

    it('a return to the applicant closes every branch and forgets every join', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      value(a.returnTo(taskAt(a, 'college').id, 'p-college', 'applicant', '请补充', w.ctx(4)));
      expect(where(a)).to.deep.equal({ state: 'returned', active: [], waiting: [] });
      value(a.submit('2024-000001', w.ctx(5)));
      expect(where(a).active).to.deep.equal(['intake']);
      replays(a);
    });
  });

  it('the applicant may withdraw while no branch has been acted on, and not once one has reached the join', () => {
    const w = new World(forked('parallel'));
    const a = w.submitted();
    approve(w, a, 'intake', 2);
    approve(w, a, 'finance', 3);
    expect(failure(a.withdraw(APPLICANT.id, at(4))).code).to.equal('APPLICATION.HANDLER_ALREADY_ACTED');
    const b = w.submitted();
    approve(w, b, 'intake', 2);
    value(b.withdraw(APPLICANT.id, at(3)));
    expect(where(b)).to.deep.equal({ state: 'withdrawn', active: [], waiting: [] });
  });

  describe('拿回 (take back) and 跳转 (jump)', () => {
    const approvedAt = (a: Application, node: string): Task =>
      a.tasks.find((x) => x.nodeKey === node && x.outcome === 'approved') ?? expect.fail(`no approval at ${node}`);

    it('who approved a branch step takes it back while the join waits: that branch reopens, held by them; the other goes on', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      value(a.takeBack(approvedAt(a, 'finance').id, 'p-finance', w.ctx(4)));
      expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['college', 'finance'], waiting: [] });
      expect(taskAt(a, 'finance').assignee).to.equal('p-finance');
      expect(a.recorded.at(-2)).to.deep.include({ action: 'taken-back', node: 'finance' });
      replays(a);
    });

    it('is refused once the next step acted (409), to someone else (403), and before the step passed (409)', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      approve(w, a, 'college', 4);
      approve(w, a, 'head', 5);
      const finance = approvedAt(a, 'finance');
      expect(failure(a.takeBack(finance.id, 'p-finance', w.ctx(6))).code).to.equal('APPLICATION.NEXT_STEP_ACTED');
      expect(failure(a.takeBack(finance.id, 'p-college', w.ctx(6))).code).to.equal('TASK.NOT_YOURS');
      expect(failure(a.takeBack(taskAt(a, 'done').id, 'p-done', w.ctx(6))).code).to.equal('TASK.NOT_YOURS');
      const b = w.submitted();
      approve(w, b, 'intake', 2);
      value(b.returnTo(taskAt(b, 'college').id, 'p-college', 'intake', '?', w.ctx(3)));
      expect(
        failure(b.takeBack(approvedAt(b, 'intake').id, 'p-intake', w.ctx(4))).code,
        'its step runs again: nothing to take back',
      ).to.equal('APPLICATION.STEP_NOT_PASSED');
    });

    it('a jump closes every branch, forgets every join, and opens the target; a gateway or unknown key is 400 at /target', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      for (const target of ['fork', 'apply', 'nowhere']) {
        const e = failure(a.jumpTo('admin', target, '?', w.ctx(4)));
        expect(e.code).to.equal('APPLICATION.JUMP_TARGET_INVALID');
        expect((e as InputError).problems[0]?.path).to.equal('/target');
      }
      value(a.jumpTo('admin', 'head', '线下已会签', w.ctx(4)));
      expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['head'], waiting: [] });
      expect(a.recorded.at(-2)).to.deep.include({
        action: 'jumped',
        node: 'head',
        comment: '线下已会签',
        detail: { closed: ['college'], clearedJoins: ['join'] },
      });
      value(a.jumpTo('admin', 'intake', '重新受理', w.ctx(5)));
      expect(a.current.passedNodes, 'a jump back unpasses what follows its target').to.deep.equal(['apply']);
      replays(a);
      approve(w, a, 'intake', 6);
      expect(where(a).active).to.deep.equal(['college', 'finance']);
    });

    it('a jump is refused once the application has ended (409)', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      value(a.withdraw(APPLICANT.id, at(2)));
      expect(failure(a.jumpTo('admin', 'head', '?', w.ctx(3))).code).to.equal('APPLICATION.NOT_IN_PROGRESS');
    });
  });

  describe('moving running applications to a new version', () => {
    /** v2: intake → fork → (dean | finance2) → join → head → done: college became dean, finance became finance2. */
    const v2: ProcessDefinition = {
      ...forked('parallel'),
      nodes: forked('parallel').nodes.map((n) =>
        n.key === 'college'
          ? step('dean', ['join'])
          : n.key === 'finance'
            ? step('finance2', ['join'])
            : n.key === 'fork'
              ? gateway('fork', 'parallel', ['dean', 'finance2'])
              : n,
      ),
    };

    it('moves live steps and their tasks by the mapping, keeps the join waiting, and the run goes on on v2', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      approve(w, a, 'finance', 3);
      const college = taskAt(a, 'college');
      const mapping = { college: 'dean', finance: 'finance2' };
      value(a.moveToVersion({ versionId: 'v2', definition: v2 }, mapping, 'admin', '新版流程', w.ctx(4)));
      expect(a.current.versionId).to.equal('v2');
      expect(where(a)).to.deep.equal({ state: 'in_progress', active: ['dean'], waiting: ['join'] });
      expect(taskAt(a, 'dean').id, 'the same task, held by the same person').to.equal(college.id);
      expect(a.current.passedNodes).to.deep.equal(['apply', 'intake', 'finance2']);
      replays(a);
      value(a.approve(college.id, 'p-college', undefined, w.ctx(5)));
      expect(where(a).active).to.deep.equal(['head']);
      replays(a);
    });

    it('refuses a mapping that does not fit, naming every problem, and changes nothing', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      approve(w, a, 'intake', 2);
      const before = JSON.stringify(a.current);
      const e = failure(
        a.moveToVersion(
          { versionId: 'v2', definition: v2 },
          { nowhere: 'dean', intake: 'fork', finance: 'gone' },
          'admin',
          '?',
          w.ctx(3),
        ),
      );
      expect(e.code).to.equal('APPLICATION.MAPPING_INVALID');
      expect((e as InputError).problems.map((p) => p.path)).to.deep.equal([
        '/mapping/nowhere',
        '/mapping/intake',
        '/mapping/finance',
        '/mapping',
        '/mapping',
      ]);
      expect(JSON.stringify(a.current)).to.equal(before);
    });

    it('refuses an ended application (409) and a move to the version it runs on', () => {
      const w = new World(forked('parallel'));
      const a = w.submitted();
      expect(failure(a.moveToVersion({ versionId: 'v1', definition: v2 }, {}, 'admin', '?', w.ctx(2))).code).to.equal(
        'APPLICATION.NOT_MOVABLE',
      );
      value(a.withdraw(APPLICANT.id, at(2)));
      expect(failure(a.moveToVersion({ versionId: 'v2', definition: v2 }, {}, 'admin', '?', w.ctx(3))).code).to.equal(
        'APPLICATION.NOT_MOVABLE',
      );
    });
  });
});
