import { expect } from 'chai';
import { failure, value } from '../../fixtures/result.js';
import type {
  ProcessDefinition,
  ProcessNodeDefinition,
  SignMode,
  TimeoutAction,
} from '../../../src/domain/process-definition/process-definition.js';
import { Application } from '../../../src/domain/application/application.entity.js';
import type { EngineContext } from '../../../src/domain/application/application-state.js';
import { isLive, type Task } from '../../../src/domain/application/task.js';

// every task is due an hour after it opens; minute 0 is 09:00 UTC
const at = (minute: number): Date => new Date(Date.UTC(2024, 4, 6, 9, minute));
const DUE_AFTER = 60;
const APPLICANT = { id: 's001', type: 'student', unit: 'cs' } as const;
const ESCALATION = { role: 'unit-service-admin', unit: 'academic-affairs' };

const review = (action: TimeoutAction | undefined, mode: SignMode = 'any', people = ['p1']): ProcessNodeDefinition => ({
  key: 'review',
  name: '审核',
  kind: 'review',
  handlers: { type: 'people', people },
  mode,
  timeLimit: { hours: 1 },
  ...(action ? { onTimeout: { action } } : {}),
});
const definition = (node: ProcessNodeDefinition): ProcessDefinition => ({
  form: { type: 'object', properties: {} },
  nodes: [
    { key: 'apply', name: '申请', kind: 'start' },
    node,
    {
      key: 'done',
      name: '办结',
      kind: 'complete',
      mode: 'any',
      handlers: { type: 'people', people: ['p-done'] },
      timeLimit: { hours: 1 },
    },
  ],
});

function world(node: ProcessNodeDefinition) {
  const def = definition(node);
  let ids = 0;
  const ctx = (minute: number): EngineContext => ({
    resolve: (key) => {
      const rule = def.nodes.find((n) => n.key === key)?.handlers;
      return { kind: 'people', people: rule?.type === 'people' ? [...rule.people] : [] };
    },
    applies: () => true,
    flowHolds: () => true,
    escalation: ESCALATION,
    dueAt: () => new Date(at(minute).getTime() + DUE_AFTER * 60_000),
    newId: () => `t${++ids}`,
    at: at(minute),
  });
  const a = Application.draft(
    {
      id: 'app-1',
      itemId: 'si-1',
      owningUnit: 'academic-affairs',
      versionId: 'ver-1',
      applicant: APPLICANT,
      form: {},
      at: at(0),
    },
    def,
  );
  value(a.submit('2024-000001', ctx(0)));
  return { a, ctx };
}
const live = (a: Application): Task[] => a.tasks.filter(isLive);
const since = (a: Application, seq: number) => a.recorded.filter((h) => h.seq > seq);

describe('onTimeLimitPassed: what a node does when a task outlives its time limit', () => {
  it('approve: the system approves the task (automatic, with the reason), the node passes and the next one opens', () => {
    const { a, ctx } = world(review('approve'));
    const task = live(a)[0]!;
    expect(task.dueAt).to.equal(at(60).toISOString());
    const seq = a.current.lastSeq;
    expect(value(a.onTimeLimitPassed(task.id, ctx(60)))).to.equal('approved');
    expect(task).to.deep.include({
      status: 'done',
      outcome: 'approved',
      actedBy: 'system',
      actedAt: at(60).toISOString(),
    });
    expect(since(a, seq).map((h) => [h.actor, h.action, h.node, h.detail])).to.deep.equal([
      ['system', 'approved', 'review', { automatic: true, reason: 'time limit passed' }],
      ['system', 'node-passed', 'review', undefined],
      ['system', 'node-activated', 'done', { activation: 1 }],
    ]);
    expect(a.activeNode).to.equal('done');
    expect(a.current.passedNodes).to.deep.equal(['apply', 'review']);
    expect(live(a).map((t) => [t.nodeKey, t.assignee])).to.deep.equal([['done', 'p-done']]);
  });

  it("approve in a countersign ('all'): each task times out on its own; the node passes with the last", () => {
    const { a, ctx } = world(review('approve', 'all', ['p1', 'p2']));
    const [t1, t2] = live(a);
    value(a.onTimeLimitPassed(t1!.id, ctx(61)));
    expect(a.activeNode).to.equal('review');
    expect(t2!.status).to.equal('open');
    value(a.onTimeLimitPassed(t2!.id, ctx(61)));
    expect(a.activeNode).to.equal('done');
  });

  it('reject: the system rejects the application with the reason; every live task closes', () => {
    const { a, ctx } = world(review('reject', 'all', ['p1', 'p2']));
    const [t1, t2] = live(a);
    const seq = a.current.lastSeq;
    expect(value(a.onTimeLimitPassed(t1!.id, ctx(75)))).to.equal('rejected');
    expect(a.state).to.equal('rejected');
    expect(a.current.endedAt).to.deep.equal(at(75));
    expect(a.activeNode).to.equal(null);
    expect(t1).to.deep.include({ status: 'done', outcome: 'rejected', actedBy: 'system' });
    expect(t2!.status).to.equal('cancelled');
    expect(since(a, seq).map((h) => [h.actor, h.action, h.comment, h.detail])).to.deep.equal([
      ['system', 'rejected', undefined, { automatic: true, reason: 'time limit passed' }],
      ['system', 'application-rejected', 'time limit passed', undefined],
    ]);
  });

  it("escalate: the task goes to the owning unit's service admins' pool, once; the history says why", () => {
    const { a, ctx } = world(review('escalate'));
    const task = live(a)[0]!;
    const seq = a.current.lastSeq;
    expect(value(a.onTimeLimitPassed(task.id, ctx(60)))).to.equal('escalated');
    expect(task).to.deep.include({
      status: 'open',
      assignee: null,
      candidate: ESCALATION,
      reason: 'TIME_LIMIT_PASSED',
    });
    expect(task.dueAt).to.equal(at(60).toISOString());
    expect(since(a, seq).map((h) => [h.actor, h.action, h.taskId, h.detail])).to.deep.equal([
      ['system', 'escalated', task.id, { reason: 'time limit passed', from: 'p1', to: ESCALATION }],
    ]);
    expect(a.state).to.equal('in_progress');
    // a second run (the job again, another instance) finds it with the admins already: it only reminds
    const after = a.current.lastSeq;
    expect(value(a.onTimeLimitPassed(task.id, ctx(90)))).to.equal('remind');
    expect(a.current.lastSeq).to.equal(after);
  });

  it('remind (or no onTimeout): nothing changes; the caller sends the reminder', () => {
    for (const action of [undefined, 'remind'] as const) {
      const { a, ctx } = world(review(action));
      const task = live(a)[0]!;
      a.markSaved(1);
      expect(value(a.onTimeLimitPassed(task.id, ctx(60)))).to.equal('remind');
      expect(a.changed).to.equal(false);
    }
  });

  it('a task handled before its time limit passed is left alone: ALREADY_HANDLED, nothing changes', () => {
    const { a, ctx } = world(review('reject'));
    const task = live(a)[0]!;
    value(a.approve(task.id, 'p1', '同意', ctx(30)));
    a.markSaved(1);
    expect(failure(a.onTimeLimitPassed(task.id, ctx(60))).code).to.equal('TASK.ALREADY_HANDLED');
    expect(a.changed).to.equal(false);
    expect(a.activeNode).to.equal('done');
  });

  it('a task whose time limit has not passed yet is left alone: NOT_YET_DUE', () => {
    const { a, ctx } = world(review('approve'));
    const task = live(a)[0]!;
    a.markSaved(1);
    expect(failure(a.onTimeLimitPassed(task.id, ctx(59))).code).to.equal('TASK.NOT_YET_DUE');
    expect(a.changed).to.equal(false);
    expect(task.status).to.equal('open');
  });

  it('approve on an opinion nobody gave (前加签): recorded as given, and the asking signer decides', () => {
    const { a, ctx } = world(review('approve'));
    const mine = live(a)[0]!;
    value(a.addSigner(mine.id, 'p1', 'p9', 'before', undefined, ctx(10)));
    const opinion = live(a).find((t) => t.assignee === 'p9')!;
    expect(mine.status).to.equal('waiting');
    expect(value(a.onTimeLimitPassed(opinion.id, ctx(60)))).to.equal('approved');
    expect(a.recorded.at(-1)).to.deep.include({
      actor: 'system',
      action: 'signer-opinion',
      detail: { automatic: true, reason: 'time limit passed', outcome: 'approved' },
    });
    expect(mine.status).to.equal('open');
    expect(a.activeNode).to.equal('review');
    // the signer's own task is past due too: its timer acts next
    value(a.onTimeLimitPassed(mine.id, ctx(60)));
    expect(a.activeNode).to.equal('done');
  });
});
