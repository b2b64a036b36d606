import { expect } from 'chai';
import { ConflictError, InputError, NotAllowedError } from '../../../src/domain/shared/errors.js';
import { failure, value } from '../../fixtures/result.js';
import type {
  HandlerRule,
  ProcessDefinition,
  ProcessNodeDefinition,
  SignMode,
} from '../../../src/domain/process-definition/process-definition.js';
import { Application } from '../../../src/domain/application/application.entity.js';
import type { EngineContext } from '../../../src/domain/application/application-state.js';
import { isLive, type Task } from '../../../src/domain/application/task.js';
import { snapshot } from '../../fixtures/application-snapshot.js';

const at = (minute: number): Date => new Date(Date.UTC(2024, 4, 6, 9, minute));
const APPLICANT = { id: 's001', type: 'student', unit: 'cs' } as const;
const ESCALATION = { role: 'service-admin', unit: 'academic-affairs' };
const POOLS: Record<string, string[]> = { reviewer: ['r1', 'r2'], nobody: [] };

const handler = (
  key: string,
  handlers: HandlerRule,
  mode: SignMode = 'any',
  passRatio?: number,
): ProcessNodeDefinition => ({
  key,
  name: key,
  kind: 'review',
  handlers,
  mode,
  ...(passRatio === undefined ? {} : { passRatio }),
  timeLimit: { workingDays: 3 },
});
const people = (...ids: string[]): HandlerRule => ({ type: 'people', people: ids });
const pool = (role: string): HandlerRule => ({ type: 'role', role, unit: '$applicant.unit' });

const definition = (...nodes: ProcessNodeDefinition[]): ProcessDefinition => ({
  form: { type: 'object', properties: { reason: { type: 'string' } } },
  nodes: [
    { key: 'apply', name: '申请', kind: 'start' },
    ...nodes,
    { key: 'done', name: '办结', kind: 'complete', mode: 'any', handlers: people('p-done'), timeLimit: { hours: 24 } },
  ],
});

/** The outside world of one application: handler resolution, conditions, ids and the clock. */
class World {
  private ids = 0;
  constructor(
    readonly def: ProcessDefinition,
    private readonly skip: ReadonlySet<string> = new Set(),
  ) {}

  ctx(minute: number): EngineContext {
    return {
      resolve: (key) => {
        const rule = this.def.nodes.find((n) => n.key === key)?.handlers;
        if (rule?.type === 'role')
          return { kind: 'pool', role: rule.role, unit: APPLICANT.unit, people: POOLS[rule.role] ?? [] };
        return { kind: 'people', people: rule?.people ?? [] };
      },
      applies: (key) => !this.skip.has(key),
      flowHolds: (gateway, target) => !this.skip.has(`${gateway}->${target}`),
      escalation: ESCALATION,
      dueAt: () => null,
      newId: () => `t${++this.ids}`,
      at: at(minute),
    };
  }

  submitted(): Application {
    const a = Application.draft(
      {
        id: 'app-1',
        itemId: 'si-1',
        owningUnit: 'cs',
        versionId: 'ver-1',
        applicant: APPLICANT,
        form: { reason: '转专业' },
        at: at(0),
      },
      this.def,
    );
    value(a.submit('2024-000001', this.ctx(1)));
    return a;
  }
}

const live = (a: Application): Task[] => a.tasks.filter(isLive);
const taskOf = (a: Application, person: string): Task => {
  const t = live(a).find((x) => x.assignee === person);
  if (!t) return expect.fail(`no live task for ${person}`);
  return t;
};
const actions = (a: Application): string[] => a.recorded.map((h) => h.action);
const approve = (w: World, a: Application, person: string, minute: number): void => {
  value(a.approve(taskOf(a, person).id, person, undefined, w.ctx(minute)));
};

describe('Application engine', () => {
  it('keeps when it was first submitted (受理) and when it ended (办结 or otherwise)', () => {
    const w = new World(definition(handler('review', people('p1'))));
    const a = w.submitted();
    expect([a.current.submittedAt, a.current.endedAt]).to.deep.equal([at(1), null]);
    value(a.returnTo(taskOf(a, 'p1').id, 'p1', 'applicant', '请补充材料', w.ctx(2)));
    value(a.submit('2024-000001', w.ctx(3)));
    expect(a.current.submittedAt, 'a resubmission keeps the first').to.deep.equal(at(1));
    approve(w, a, 'p1', 4);
    approve(w, a, 'p-done', 5);
    expect([a.state, a.current.endedAt]).to.deep.equal(['completed', at(5)]);

    const b = w.submitted();
    value(b.withdraw(APPLICANT.id, at(7)));
    expect([b.state, b.current.endedAt]).to.deep.equal(['withdrawn', at(7)]);
  });

  it('records what each action changes, and only that: fields set, tasks touched with what they were, entries appended', () => {
    const w = new World(definition(handler('review', people('p1'))));
    const a = w.submitted();
    a.markSaved(1);
    expect(a.changed).to.equal(false);
    const review = taskOf(a, 'p1');
    expect(failure(a.approve(review.id, 'p2', undefined, w.ctx(2))).code, 'refused: nothing recorded').to.equal(
      'TASK.NOT_YOURS',
    );
    expect({ changed: a.changed, recorded: a.changes.recorded }).to.deep.equal({ changed: false, recorded: [] });
    approve(w, a, 'p1', 3);
    const opened = live(a)[0]!;
    expect([...a.changes.tasks]).to.deep.equal([
      [review.id, { status: 'open', dueAt: null }],
      [opened.id, null],
    ]);
    expect([...a.changes.fields].sort()).to.deep.equal([
      'activations',
      'activeNode',
      'activeNodes',
      'lastSeq',
      'passedNodes',
      'state',
      'updatedAt',
    ]);
    expect(a.changes.recorded.map((h) => [h.seq, h.action])).to.deep.equal([
      [4, 'approved'],
      [5, 'node-passed'],
      [6, 'node-activated'],
    ]);
    a.markSaved(2);
    expect({ changed: a.changed, lockVersion: a.lockVersion, recordedSinceLoad: a.recorded.length }).to.deep.equal({
      changed: false,
      lockVersion: 2,
      recordedSinceLoad: 6,
    });
  });

  it('submit activates the first node after the start', () => {
    const w = new World(definition(handler('review', people('p1'))));
    const a = w.submitted();
    const s = snapshot(a);
    expect(s).to.deep.include({
      state: 'in_progress',
      activeNode: 'review',
      caseNumber: '2024-000001',
      activations: { review: 1 },
      passedNodes: ['apply'],
    });
    expect(actions(a)).to.deep.equal(['saved', 'submitted', 'node-activated']);
    expect(a.tasks).to.deep.equal([
      {
        id: 't1',
        nodeKey: 'review',
        activation: 1,
        assignee: 'p1',
        candidate: null,
        status: 'open',
        outcome: null,
        order: 0,
        reason: null,
        createdAt: at(1).toISOString(),
        actedBy: null,
        actedAt: null,
        dueAt: null,
      },
    ]);
  });

  it('skips a node whose condition is false and records node-skipped', () => {
    const w = new World(
      definition(handler('review', people('p1')), handler('approve', people('p2'))),
      new Set(['review']),
    );
    const a = w.submitted();
    expect(a.activeNode).to.equal('approve');
    expect(a.recorded.find((h) => h.action === 'node-skipped')).to.deep.include({ actor: 'system', node: 'review' });
    expect(a.tasks.map((t) => t.nodeKey)).to.deep.equal(['approve']);
  });

  describe('pool tasks', () => {
    it('must be claimed by a holder of the pool, once', () => {
      const w = new World(definition(handler('review', pool('reviewer'))));
      const a = w.submitted();
      const [t] = a.tasks;
      expect(t).to.deep.include({ assignee: null, candidate: { role: 'reviewer', unit: 'cs' }, status: 'open' });
      const before = snapshot(a);
      const notYet = failure(a.approve(t!.id, 'r1', undefined, w.ctx(2)));
      expect(notYet).to.be.instanceOf(NotAllowedError);
      expect(notYet.code).to.equal('TASK.NOT_YOURS');
      const notCandidate = failure(a.claim(t!.id, 'x9', false, at(2)));
      expect(notCandidate).to.be.instanceOf(NotAllowedError);
      expect(notCandidate.code).to.equal('TASK.NOT_CANDIDATE');
      expect(snapshot(a)).to.deep.equal(before);

      value(a.claim(t!.id, 'r1', true, at(3)));
      const claimed = snapshot(a);
      const again = failure(a.claim(t!.id, 'r2', true, at(4)));
      expect(again).to.be.instanceOf(ConflictError);
      expect(again.code).to.equal('TASK.ALREADY_CLAIMED');
      expect(snapshot(a)).to.deep.equal(claimed);

      value(a.unclaim(t!.id, 'r1', at(5)));
      value(a.claim(t!.id, 'r2', true, at(6)));
      approve(w, a, 'r2', 7);
      expect(a.activeNode).to.equal('done');
      expect(actions(a)).to.include.members(['claimed', 'unclaimed', 'approved', 'node-passed']);
    });
  });

  it("refuses acting on another's task (NOT_YOURS) and acting twice (ALREADY_HANDLED)", () => {
    const w = new World(definition(handler('review', people('p1', 'p2'), 'all')));
    const a = w.submitted();
    const t1 = taskOf(a, 'p1');
    let before = snapshot(a);
    const notYours = failure(a.approve(t1.id, 'p2', undefined, w.ctx(2)));
    expect(notYours).to.be.instanceOf(NotAllowedError);
    expect(notYours.code).to.equal('TASK.NOT_YOURS');
    expect(failure(a.returnTo(t1.id, 'p2', 'applicant', 'no', w.ctx(2))).code).to.equal('TASK.NOT_YOURS');
    expect(snapshot(a)).to.deep.equal(before);

    value(a.approve(t1.id, 'p1', 'ok', w.ctx(3)));
    before = snapshot(a);
    for (const r of [a.approve(t1.id, 'p1', undefined, w.ctx(4)), a.reject(t1.id, 'p1', 'changed my mind', w.ctx(4))]) {
      const e = failure(r);
      expect(e).to.be.instanceOf(ConflictError);
      expect(e.code).to.equal('TASK.ALREADY_HANDLED');
    }
    expect(snapshot(a)).to.deep.equal(before);
    // someone else hears only that the task is not theirs, not that it was handled
    for (const r of [a.approve(t1.id, 'p2', undefined, w.ctx(4)), a.claim(t1.id, 'p3', false, w.ctx(4).at)]) {
      const e = failure(r);
      expect(e).to.be.instanceOf(NotAllowedError);
      expect(e.code).to.be.oneOf(['TASK.NOT_YOURS', 'TASK.NOT_CANDIDATE']);
    }
    expect(snapshot(a)).to.deep.equal(before);
  });

  describe('sign modes', () => {
    it("'any' over people: the first approval passes the node and cancels the siblings", () => {
      const w = new World(definition(handler('review', people('p1', 'p2', 'p3'), 'any')));
      const a = w.submitted();
      expect(live(a)).to.have.length(3);
      approve(w, a, 'p2', 2);
      const review = a.tasks.filter((t) => t.nodeKey === 'review');
      expect(review.map((t) => [t.assignee, t.status])).to.deep.equal([
        ['p1', 'cancelled'],
        ['p2', 'done'],
        ['p3', 'cancelled'],
      ]);
      expect(a.activeNode).to.equal('done');
    });

    it("'all' passes only after every approval", () => {
      const w = new World(definition(handler('review', people('p1', 'p2', 'p3'), 'all')));
      const a = w.submitted();
      approve(w, a, 'p1', 2);
      approve(w, a, 'p3', 3);
      expect(a.activeNode).to.equal('review');
      approve(w, a, 'p2', 4);
      expect(a.activeNode).to.equal('done');
    });

    it("'all': one rejection rejects the application", () => {
      const w = new World(definition(handler('review', people('p1', 'p2'), 'all')));
      const a = w.submitted();
      approve(w, a, 'p1', 2);
      value(a.reject(taskOf(a, 'p2').id, 'p2', '材料不全', w.ctx(3)));
      expect(snapshot(a)).to.deep.include({ state: 'rejected', activeNode: null });
      expect(live(a)).to.deep.equal([]);
      expect(a.recorded.at(-1)).to.deep.include({ action: 'application-rejected', actor: 'p2', comment: '材料不全' });
    });

    it("'sequential' opens the second task only after the first approves", () => {
      const w = new World(definition(handler('review', people('p1', 'p2'), 'sequential')));
      const a = w.submitted();
      expect(a.tasks.map((t) => [t.assignee, t.status])).to.deep.equal([
        ['p1', 'open'],
        ['p2', 'waiting'],
      ]);
      const e = failure(a.approve(taskOf(a, 'p2').id, 'p2', undefined, w.ctx(2)));
      expect(e.code).to.equal('TASK.ALREADY_HANDLED');
      approve(w, a, 'p1', 3);
      expect(a.tasks.map((t) => t.status)).to.deep.equal(['done', 'open']);
      expect(a.activeNode).to.equal('review');
      approve(w, a, 'p2', 4);
      expect(a.activeNode).to.equal('done');
    });

    describe("'ratio' 2 of 3 (passRatio 0.66)", () => {
      const w3 = (): World => new World(definition(handler('review', people('p1', 'p2', 'p3'), 'ratio', 0.66)));

      it('one rejection keeps it pending, two reject the application', () => {
        const w = w3();
        const a = w.submitted();
        value(a.reject(taskOf(a, 'p1').id, 'p1', 'no', w.ctx(2)));
        expect(snapshot(a)).to.deep.include({ state: 'in_progress', activeNode: 'review' });
        expect(live(a)).to.have.length(2);
        value(a.reject(taskOf(a, 'p3').id, 'p3', 'no', w.ctx(3)));
        expect(a.state).to.equal('rejected');
        expect(live(a)).to.deep.equal([]);
      });

      it('two approvals pass and cancel the third', () => {
        const w = w3();
        const a = w.submitted();
        approve(w, a, 'p1', 2);
        expect(a.activeNode).to.equal('review');
        approve(w, a, 'p2', 3);
        expect(a.activeNode).to.equal('done');
        expect(a.tasks.find((t) => t.assignee === 'p3')?.status).to.equal('cancelled');
      });
    });
  });

  describe('returnTo', () => {
    it("to the applicant: 'returned', every live task cancelled, resubmit starts at the first node", () => {
      const w = new World(definition(handler('review', people('p1')), handler('approve', people('p2', 'p3'), 'all')));
      const a = w.submitted();
      approve(w, a, 'p1', 2);
      value(a.returnTo(taskOf(a, 'p2').id, 'p2', 'applicant', '请补充材料', w.ctx(3)));
      expect(snapshot(a)).to.deep.include({ state: 'returned', activeNode: null, passedNodes: [] });
      expect(live(a)).to.deep.equal([]);
      expect(a.recorded.at(-1)).to.deep.include({
        action: 'returned',
        comment: '请补充材料',
        detail: { target: 'applicant', closed: ['approve'] },
      });

      value(a.submit('ignored', w.ctx(4)));
      expect(snapshot(a)).to.deep.include({
        state: 'in_progress',
        activeNode: 'review',
        caseNumber: '2024-000001',
        activations: { review: 2, approve: 1 },
      });
      expect(live(a).map((t) => [t.nodeKey, t.activation, t.assignee])).to.deep.equal([['review', 2, 'p1']]);
    });

    it('to a passed node: re-activates it with fresh tasks and closes every open sibling of the returning node', () => {
      const w = new World(
        definition(handler('review', people('p1', 'p2'), 'all'), handler('approve', people('p3', 'p4', 'p5'), 'all')),
      );
      const a = w.submitted();
      approve(w, a, 'p1', 2);
      approve(w, a, 'p2', 3);
      approve(w, a, 'p4', 4);
      value(a.returnTo(taskOf(a, 'p3').id, 'p3', 'review', '请重新审核', w.ctx(5)));
      const s = snapshot(a);
      expect(s).to.deep.include({
        state: 'in_progress',
        activeNode: 'review',
        activations: { review: 2, approve: 1 },
        passedNodes: ['apply'],
      });
      expect(s.tasks.filter((t) => t.nodeKey === 'approve').map((t) => [t.assignee, t.status])).to.deep.equal([
        ['p3', 'cancelled'],
        ['p4', 'done'],
        ['p5', 'cancelled'],
      ]);
      expect(live(a).map((t) => [t.nodeKey, t.activation, t.assignee, t.status])).to.deep.equal([
        ['review', 2, 'p1', 'open'],
        ['review', 2, 'p2', 'open'],
      ]);
      expect(actions(a).slice(-2)).to.deep.equal(['returned', 'node-activated']);
    });

    it('to a node never passed: InputError RETURN_TARGET_NOT_PASSED at /target, nothing changes', () => {
      const w = new World(definition(handler('review', people('p1')), handler('approve', people('p2'))));
      const a = w.submitted();
      const before = snapshot(a);
      for (const target of ['approve', 'review', 'done', 'nowhere']) {
        const e = failure(a.returnTo(taskOf(a, 'p1').id, 'p1', target, 'x', w.ctx(2)));
        expect(e, target).to.be.instanceOf(InputError);
        expect(e.code).to.equal('APPLICATION.RETURN_TARGET_NOT_PASSED');
        expect((e as InputError).problems.map((p) => p.path)).to.deep.equal(['/target']);
      }
      expect(snapshot(a)).to.deep.equal(before);
    });
  });

  describe('withdraw and cancel', () => {
    it("withdraw before anyone acted: 'withdrawn'", () => {
      const w = new World(definition(handler('review', people('p1', 'p2'), 'all')));
      const a = w.submitted();
      value(a.withdraw(APPLICANT.id, at(2)));
      expect(snapshot(a)).to.deep.include({ state: 'withdrawn', activeNode: null });
      expect(live(a)).to.deep.equal([]);
    });

    it('withdraw after a handler acted on the current node: HANDLER_ALREADY_ACTED', () => {
      const w = new World(definition(handler('review', people('p1', 'p2'), 'all')));
      const a = w.submitted();
      approve(w, a, 'p1', 2);
      const before = snapshot(a);
      const e = failure(a.withdraw(APPLICANT.id, at(3)));
      expect(e).to.be.instanceOf(ConflictError);
      expect(e.code).to.equal('APPLICATION.HANDLER_ALREADY_ACTED');
      expect(snapshot(a)).to.deep.equal(before);
    });

    it('cancel records the reason and closes the live tasks', () => {
      const w = new World(definition(handler('review', people('p1', 'p2'), 'all')));
      const a = w.submitted();
      approve(w, a, 'p1', 2);
      expect(failure(a.cancel('p2', 'not mine', at(3))).code).to.equal('APPLICATION.NOT_APPLICANT');
      value(a.cancel(APPLICANT.id, '已不需要', at(4)));
      expect(a.state).to.equal('cancelled');
      expect(live(a)).to.deep.equal([]);
      expect(a.recorded.at(-1)).to.deep.include({ action: 'cancelled', actor: APPLICANT.id, comment: '已不需要' });
    });
  });

  it("nobody resolved: an escalation task with reason 'NO_HANDLER' and an 'escalated' entry", () => {
    const w = new World(definition(handler('review', pool('nobody'), 'all')));
    const a = w.submitted();
    expect(a.tasks).to.have.length(1);
    expect(a.tasks[0]).to.deep.include({
      nodeKey: 'review',
      assignee: null,
      candidate: ESCALATION,
      reason: 'NO_HANDLER',
      status: 'open',
    });
    expect(a.recorded.find((h) => h.action === 'escalated')).to.deep.include({ actor: 'system', node: 'review' });
    value(a.claim(a.tasks[0]!.id, 'admin', true, at(2)));
    approve(w, a, 'admin', 3);
    expect(a.activeNode).to.equal('done');
  });

  it('completes after the complete node passes; then every action is refused and changes nothing', () => {
    const w = new World(definition(handler('review', people('p1'))));
    const a = w.submitted();
    approve(w, a, 'p1', 2);
    const doneTask = taskOf(a, 'p-done');
    approve(w, a, 'p-done', 3);
    expect(snapshot(a)).to.deep.include({
      state: 'completed',
      activeNode: null,
      passedNodes: ['apply', 'review', 'done'],
    });
    expect(actions(a).slice(-2)).to.deep.equal(['node-passed', 'completed']);

    const before = snapshot(a);
    const refused = [
      a.submit('again', w.ctx(4)),
      a.approve(doneTask.id, 'p-done', undefined, w.ctx(4)),
      a.reject(doneTask.id, 'p-done', 'x', w.ctx(4)),
      a.claim(doneTask.id, 'p-done', true, at(4)),
      a.unclaim(doneTask.id, 'p-done', at(4)),
      a.returnTo(doneTask.id, 'p-done', 'applicant', 'x', w.ctx(4)),
      a.withdraw(APPLICANT.id, at(4)),
      a.cancel(APPLICANT.id, 'x', at(4)),
      a.approve('no-such-task', 'p1', undefined, w.ctx(4)),
      a.edit({}, at(4)),
    ];
    for (const r of refused) expect(failure(r)).to.be.instanceOf(ConflictError);
    expect(snapshot(a)).to.deep.equal(before);
  });
});
