import { expect } from 'chai';
import { ActOnTaskUseCase } from '../../../../src/application/applications/act-on-task.use-case.js';
import { BatchTaskActionsUseCase } from '../../../../src/application/applications/batch-task-actions.use-case.js';
import type { Application } from '../../../../src/domain/application/application.entity.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const CLAIMED_AT = new Date('2026-11-24T01:00:00Z');

/** Three applications at the review step: two claimed by the handler, one by the colleague; and one still pooled. */
function setup() {
  const s = hallWithItem();
  let n = 0;
  const caseNumber = () => `2026-CW-00000${++n}`;
  const claimedBy = (person: string) =>
    s.stored((w) => {
      const a = ApplicationMother.submitted(w, { caseNumber: caseNumber() });
      a.claim(openTask(a, 'check').id, person, true, CLAIMED_AT);
      return a;
    });
  const mine1 = claimedBy(cast.handler.id);
  const mine2 = claimedBy(cast.handler.id);
  const theirs = claimedBy(cast.colleague.id);
  const pooled = s.stored((w) => ApplicationMother.submitted(w, { caseNumber: caseNumber() }));
  const task = (a: Application) => openTask(a, 'check').id;
  const actOnTask = new ActOnTaskUseCase(s.hall);
  return { ...s, mine1, mine2, theirs, pooled, task, uc: new BatchTaskActionsUseCase({ actOnTask }) };
}

const handler = ActorMother.of(cast.handler);

describe('BatchTaskActionsUseCase', () => {
  it('approves each task on its own, in the order given: one not mine (403) and one already handled (409) stop nothing', async () => {
    const { hall, uc, mine1, mine2, theirs, task } = setup();
    const [t1, t2, t3] = [task(mine1), task(mine2), task(theirs)];
    const results = value(
      await uc.execute({ actor: handler, action: 'approve', taskIds: [t1, t3, t2], comment: '同意' }),
    ).results;
    expect(results.map((r) => [r.taskId, r.ok])).to.deep.equal([
      [t1, true],
      [t3, false],
      [t2, true],
    ]);
    const refused = results[1]!;
    expect(!refused.ok && [refused.error.kind, refused.error.code]).to.deep.equal(['not-allowed', 'TASK.NOT_YOURS']);
    expect(results[0]).to.deep.include({ applicationId: mine1.id, state: 'in_progress' });
    // one audit entry and one event per approval, each its own change
    expect(hall.audit.map((e) => [e.action, e.entityId])).to.deep.equal([
      ['task.approved', mine1.id],
      ['task.approved', mine2.id],
    ]);
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal(['task.approved', 'task.approved']);
    expect(hall.stored(theirs.id).props.activeNode).to.equal('check');

    const again = value(await uc.execute({ actor: handler, action: 'approve', taskIds: [t1] })).results[0]!;
    expect(!again.ok && [again.error.kind, again.error.code]).to.deep.equal(['conflict', 'TASK.ALREADY_HANDLED']);
    expect(hall.audit).to.have.length(2);
  });

  it('claims pooled tasks; an unknown task is not found in its place', async () => {
    const { hall, uc, pooled, task } = setup();
    const unknown = globalThis.crypto.randomUUID();
    const results = value(
      await uc.execute({ actor: handler, action: 'claim', taskIds: [unknown, task(pooled)] }),
    ).results;
    expect(results.map((r) => r.ok)).to.deep.equal([false, true]);
    expect(!results[0]!.ok && results[0]!.error.code).to.equal('TASK.NOT_FOUND');
    expect(hall.stored(pooled.id).props.tasks[0]!.assignee).to.equal(cast.handler.id);
  });

  it('refuses a batch that is empty, too long, repeats a task or comments a claim, naming the fields, before doing anything', async () => {
    const { hall, uc, mine1, task } = setup();
    const t1 = task(mine1);
    const paths = async (input: Parameters<BatchTaskActionsUseCase['execute']>[0]) =>
      (failure(await uc.execute(input)) as InputError).problems.map((p) => p.path);
    expect(await paths({ actor: handler, action: 'approve', taskIds: [] })).to.deep.equal(['/taskIds']);
    const many = Array.from({ length: 51 }, () => globalThis.crypto.randomUUID());
    expect(await paths({ actor: handler, action: 'approve', taskIds: [t1, ...many.slice(1)] })).to.deep.equal([
      '/taskIds',
    ]);
    expect(await paths({ actor: handler, action: 'approve', taskIds: [t1, many[0]!, t1] })).to.deep.equal([
      '/taskIds/2',
    ]);
    expect(await paths({ actor: handler, action: 'claim', taskIds: [t1], comment: 'x' })).to.deep.equal(['/comment']);
    expect(hall.audit).to.deep.equal([]);
    expect(hall.stored(mine1.id).props.activeNode).to.equal('check');
  });
});
