import { expect } from 'chai';
import { ConflictError, InputError } from '../../../src/domain/shared/errors.js';
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

// 撤销 by an admin (cancelByAdmin) and 改派 (reassign): the rules of the run; who may is the use case's.

const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 30, 9, minute));
const APPLICANT = { id: 's001', type: 'student', unit: 'cs' } as const;
const ADMIN = 'admin-1';
const POOLS: Record<string, string[]> = { reviewer: ['r1', 'r2'] };

const step = (key: string, handlers: HandlerRule, mode: SignMode = 'any'): ProcessNodeDefinition => ({
  key,
  name: key,
  kind: 'review',
  handlers,
  mode,
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

function ctx(def: ProcessDefinition, minute: number, ids: { n: number }): EngineContext {
  return {
    resolve: (key) => {
      const rule = def.nodes.find((n) => n.key === key)?.handlers;
      if (rule?.type === 'role')
        return { kind: 'pool', role: rule.role, unit: APPLICANT.unit, people: POOLS[rule.role] ?? [] };
      return { kind: 'people', people: rule?.people ?? [] };
    },
    applies: () => true,
    flowHolds: () => true,
    escalation: { role: 'unit-service-admin', unit: 'cs' },
    dueAt: () => null,
    newId: () => `t${++ids.n}`,
    at: at(minute),
  };
}

function submitted(def: ProcessDefinition): { a: Application; ctx: (minute: number) => EngineContext } {
  const ids = { n: 0 };
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
    def,
  );
  value(a.submit('2026-000001', ctx(def, 1, ids)));
  return { a, ctx: (minute) => ctx(def, minute, ids) };
}

const live = (a: Application): Task[] => a.tasks.filter(isLive);
const taskOf = (a: Application, person: string | null): Task => {
  const t = live(a).find((x) => x.assignee === person);
  if (!t) return expect.fail(`no live task for ${person}`);
  return t;
};

describe('撤销 by an admin (cancelByAdmin)', () => {
  it('ends an application in progress as cancelled: the admin acts, the reason and byAdmin are in its history, every live task closes', () => {
    const { a } = submitted(definition(step('review', people('p1', 'p2'), 'all')));
    value(a.cancelByAdmin(ADMIN, '申请人已离校', at(5)));
    expect(snapshot(a)).to.deep.include({ state: 'cancelled', activeNode: null });
    expect(a.current.endedAt).to.deep.equal(at(5));
    expect(live(a)).to.deep.equal([]);
    expect(a.recorded.at(-1)).to.deep.include({
      action: 'cancelled',
      actor: ADMIN,
      comment: '申请人已离校',
      detail: { byAdmin: true },
    });
  });

  it('ends a returned application too', () => {
    const { a, ctx } = submitted(definition(step('review', people('p1'))));
    value(a.returnTo(taskOf(a, 'p1').id, 'p1', 'applicant', '请补充', ctx(2)));
    expect(a.state).to.equal('returned');
    value(a.cancelByAdmin(ADMIN, '逾期未补充', at(3)));
    expect(a.state).to.equal('cancelled');
  });

  it('refuses a draft and an ended application (NOT_CANCELLABLE), changing nothing', () => {
    const draft = Application.draft(
      {
        id: 'app-2',
        itemId: 'si-1',
        owningUnit: 'cs',
        versionId: 'ver-1',
        applicant: APPLICANT,
        form: {},
        at: at(0),
      },
      definition(step('review', people('p1'))),
    );
    const d = failure(draft.cancelByAdmin(ADMIN, 'x', at(1)));
    expect(d).to.be.instanceOf(ConflictError);
    expect(d.code).to.equal('APPLICATION.NOT_CANCELLABLE');
    expect(draft.state).to.equal('draft');

    const { a } = submitted(definition(step('review', people('p1'))));
    value(a.withdraw(APPLICANT.id, at(2)));
    const before = snapshot(a);
    expect(failure(a.cancelByAdmin(ADMIN, 'x', at(3))).code).to.equal('APPLICATION.NOT_CANCELLABLE');
    expect(snapshot(a)).to.deep.equal(before);
  });
});

describe('改派 (reassign)', () => {
  it('gives a named task to someone else: the history names from, to and the reason; only the new holder decides', () => {
    const { a, ctx } = submitted(definition(step('review', people('p1'))));
    const task = taskOf(a, 'p1');
    value(a.reassign(task.id, ADMIN, 'p9', '原经办人病假', at(2)));
    expect(taskOf(a, 'p9').id).to.equal(task.id);
    expect(a.recorded.at(-1)).to.deep.include({
      action: 'reassigned',
      actor: ADMIN,
      node: 'review',
      taskId: task.id,
      detail: { from: 'p1', to: 'p9', reason: '原经办人病假' },
    });
    expect(failure(a.approve(task.id, 'p1', undefined, ctx(3))).code).to.equal('TASK.NOT_YOURS');
    value(a.approve(task.id, 'p9', undefined, ctx(3)));
    expect(a.activeNode).to.equal('done');
  });

  it('a pool task nobody claimed becomes the named person’s, no longer offered to the pool', () => {
    const { a } = submitted(definition(step('review', pool('reviewer'))));
    const task = taskOf(a, null);
    value(a.reassign(task.id, ADMIN, 'p9', '加快办理', at(2)));
    expect(a.tasks.find((t) => t.id === task.id)).to.deep.include({ assignee: 'p9', candidate: null, status: 'open' });
    expect(a.recorded.at(-1)!.detail).to.deep.equal({ from: 'reviewer@cs', to: 'p9', reason: '加快办理' });
  });

  it('a waiting task (a signer asked before it) moves and keeps waiting; a delegation ends', () => {
    const { a, ctx } = submitted(definition(step('review', people('p1'))));
    const task = taskOf(a, 'p1');
    value(a.addSigner(task.id, 'p1', 'p2', 'before', undefined, ctx(2)));
    value(a.reassign(task.id, ADMIN, 'p9', '调岗', at(3)));
    expect(a.tasks.find((t) => t.id === task.id)).to.deep.include({ assignee: 'p9', status: 'waiting' });

    const other = submitted(definition(step('review', people('p1'))));
    const delegated = taskOf(other.a, 'p1');
    value(other.a.delegate(delegated.id, 'p1', 'p2', undefined, at(2)));
    value(other.a.reassign(delegated.id, ADMIN, 'p9', '调岗', at(3)));
    expect(other.a.tasks.find((t) => t.id === delegated.id)).to.deep.include({ assignee: 'p9', delegatedBy: null });
  });

  it('refuses the applicant and the present holder as `to` (400 naming /to), and a sibling already held by `to` (409)', () => {
    const { a } = submitted(definition(step('review', people('p1', 'p2'), 'all')));
    const task = taskOf(a, 'p1');
    const before = snapshot(a);
    const applicant = failure(a.reassign(task.id, ADMIN, APPLICANT.id, 'x', at(2)));
    expect(applicant).to.be.instanceOf(InputError);
    expect((applicant as InputError).problems).to.deep.equal([{ path: '/to', message: 'is the applicant' }]);
    const same = failure(a.reassign(task.id, ADMIN, 'p1', 'x', at(2)));
    expect(same).to.be.instanceOf(InputError);
    expect((same as InputError).problems[0]).to.include({ path: '/to' });
    expect(failure(a.reassign(task.id, ADMIN, 'p2', 'x', at(2))).code).to.equal('TASK.ALREADY_SIGNER');
    expect(snapshot(a)).to.deep.equal(before);
  });

  it('refuses a handled task and an application no longer in progress (409), changing nothing', () => {
    const { a, ctx } = submitted(definition(step('review', people('p1')), step('second', people('p2'))));
    const first = taskOf(a, 'p1');
    value(a.approve(first.id, 'p1', undefined, ctx(2)));
    let before = snapshot(a);
    const handled = failure(a.reassign(first.id, ADMIN, 'p9', 'x', at(3)));
    expect(handled).to.be.instanceOf(ConflictError);
    expect(handled.code).to.equal('TASK.ALREADY_HANDLED');
    expect(snapshot(a)).to.deep.equal(before);

    const second = taskOf(a, 'p2');
    value(a.returnTo(second.id, 'p2', 'applicant', '请补充', ctx(4)));
    before = snapshot(a);
    expect(failure(a.reassign(second.id, ADMIN, 'p9', 'x', at(5))).code).to.equal('APPLICATION.NOT_IN_PROGRESS');
    expect(failure(a.reassign('no-such-task', ADMIN, 'p9', 'x', at(5))).code).to.equal('TASK.NOT_FOUND');
    expect(snapshot(a)).to.deep.equal(before);
  });
});
