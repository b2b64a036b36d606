import { expect } from 'chai';
import { ActOnTaskUseCase } from '../../../../src/application/applications/act-on-task.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import type { ConnectorCall } from '../../../../src/application/ports/business-connectors.port.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem, openTask, reimbursement } from '../hall.scenario.js';

/** An application at its review step, claimed by the handler unless `claimed` is false. */
function setup(o: { claimed?: boolean; definition?: ReturnType<typeof reimbursement> } = {}) {
  const s = hallWithItem({ definition: o.definition });
  const a = s.stored((w) => {
    const app = ApplicationMother.submitted(w);
    if (o.claimed !== false)
      app.claim(openTask(app, 'check').id, cast.handler.id, true, new Date('2026-11-24T01:00:00Z'));
    return app;
  });
  return { ...s, a, taskId: openTask(a, 'check').id, uc: new ActOnTaskUseCase(s.hall) };
}

const handler = ActorMother.of(cast.handler);

describe('ActOnTaskUseCase: claiming and deciding', () => {
  it('lets a holder of the pool claim its task, audited as task.claimed', async () => {
    const { hall, uc, a, taskId } = setup({ claimed: false });
    const view = value(await uc.execute({ actor: handler, taskId, action: 'claim' }));
    expect(view.currentTasks.map((t) => t.assignee)).to.deep.equal([cast.handler.id]);
    expect(hall.stored(a.id).props.tasks.find((t) => t.id === taskId)!.assignee).to.equal(cast.handler.id);
    expect(hall.audit.map((e) => [e.action, e.actorId, e.entityId, e.unit])).to.deep.equal([
      ['task.claimed', cast.handler.id, a.id, 'finance'],
    ]);
    expect(hall.outbox.map((e) => e.payload)).to.deep.equal([
      { actor: cast.handler.id, taskId, caseNumber: '2026-CW-000001' },
    ]);
  });

  it('refuses a claim by someone outside the pool (roles as the policy holds them), changing nothing', async () => {
    const { hall, uc, taskId } = setup({ claimed: false });
    const elsewhere = PersonMother.staff({ unit: 'logistics' });
    hall.seed.people(elsewhere);
    hall.seed.grant(elsewhere.id, 'handler', 'logistics');
    const before = hall.db.dump();
    expect(failure(await uc.execute({ actor: ActorMother.of(elsewhere), taskId, action: 'claim' })).code).to.equal(
      'TASK.NOT_CANDIDATE',
    );
    expect(failure(await uc.execute({ actor: ActorMother.of(cast.admin), taskId, action: 'claim' })).code).to.equal(
      'TASK.NOT_CANDIDATE',
    );
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('gives a pool task to the first of two people claiming it at once', async () => {
    const { uc, taskId } = setup({ claimed: false });
    const [first, second] = await Promise.all([
      uc.execute({ actor: handler, taskId, action: 'claim' }),
      uc.execute({ actor: ActorMother.of(cast.colleague), taskId, action: 'claim' }),
    ]);
    expect(value(first).currentTasks[0]!.assignee).to.equal(cast.handler.id);
    expect(failure(second).code).to.equal('TASK.ALREADY_CLAIMED');
  });

  it('answers an unknown task with TASK.NOT_FOUND', async () => {
    const { uc } = setup();
    expect(
      failure(await uc.execute({ actor: handler, taskId: globalThis.crypto.randomUUID(), action: 'claim' })).code,
    ).to.equal('TASK.NOT_FOUND');
  });

  it('approves: the next step opens for its named handler; audit before/after and the entries this action recorded', async () => {
    const { hall, uc, a, taskId } = setup();
    const view = value(await uc.execute({ actor: handler, taskId, action: 'approve', comment: '同意' }));
    expect(view).to.deep.include({ state: 'in_progress', activeNode: 'done' });
    expect(view.currentTasks.map((t) => [t.node, t.assignee])).to.deep.equal([['done', cast.colleague.id]]);
    expect(view.recorded.map((h) => h.action)).to.deep.equal(['approved', 'node-passed', 'node-activated']);
    expect(hall.audit[0]).to.deep.include({
      action: 'task.approved',
      before: { state: 'in_progress', activeNode: 'check' },
      after: { state: 'in_progress', activeNode: 'done' },
    });
    expect(hall.stored(a.id).history.at(-1)!.action).to.equal('node-activated');
  });

  it('the approval that completes the application also writes application.completed: its final form, naming the personal fields', async () => {
    const { hall, uc, a, taskId } = setup();
    const first = value(await uc.execute({ actor: handler, taskId, action: 'approve' }));
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal(['task.approved']);
    const last = first.currentTasks[0]!.id;
    const view = value(await uc.execute({ actor: ActorMother.of(cast.colleague), taskId: last, action: 'approve' }));
    expect(view.state).to.equal('completed');
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal(['task.approved', 'task.approved', 'application.completed']);
    expect(hall.outbox.at(-1)).to.deep.include({ aggregateType: 'application', aggregateId: a.id });
    expect(hall.outbox.at(-1)!.payload).to.deep.equal({
      actor: cast.colleague.id,
      itemId: a.current.itemId,
      versionId: a.current.versionId,
      caseNumber: '2026-CW-000001',
      form: hall.stored(a.id).props.form,
      personalFields: ['/bank_account'],
    });
  });

  it('times a decision for operations once it commits: how long the task stood open, in its unit', async () => {
    const { hall, uc, a, taskId } = setup();
    const opened = new Date(a.tasks.find((t) => t.id === taskId)!.createdAt);
    value(await uc.execute({ actor: handler, taskId, action: 'approve' }));
    expect(hall.metrics.tasksDecided).to.deep.equal([
      { unit: 'finance', seconds: (hall.clock.now().getTime() - opened.getTime()) / 1000 },
    ]);
    const other = setup();
    failure(await other.uc.execute({ actor: ActorMother.of(cast.colleague), taskId: other.taskId, action: 'approve' }));
    expect(other.hall.metrics.tasksDecided, 'a refused decision is not timed').to.deep.equal([]);
  });

  it('refuses a decision on a task held by someone else', async () => {
    const { hall, uc, taskId } = setup();
    const before = hall.db.dump();
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.colleague), taskId, action: 'approve' })).code,
    ).to.equal('TASK.NOT_YOURS');
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('approves with the fields the step may edit, checked against the form schema', async () => {
    const { hall, uc, a, taskId } = setup();
    value(await uc.execute({ actor: handler, taskId, action: 'approve', form: { invoice_no: 'F-2026-77' } }));
    expect(hall.stored(a.id).props.form).to.deep.include({ invoice_no: 'F-2026-77', amount: 1280.5 });
    expect(hall.stored(a.id).history.map((h) => h.action)).to.include('form-edited');
  });

  it('refuses an edit that breaks the form, or touches a field the step may not edit, and keeps the application as it was', async () => {
    const { hall, uc, taskId } = setup();
    const before = hall.db.dump();
    const invalid = failure(
      await uc.execute({ actor: handler, taskId, action: 'approve', form: { invoice_no: 42 } }),
    ) as InputError;
    expect([invalid.code, invalid.problems.map((p) => p.path)]).to.deep.equal([
      'APPLICATION.INVALID_FORM',
      ['/form/invoice_no'],
    ]);
    expect(failure(await uc.execute({ actor: handler, taskId, action: 'approve', form: { amount: 1 } })).code).to.equal(
      'TASK.FIELD_NOT_EDITABLE',
    );
    expect(hall.db.dump()).to.deep.equal(before);
    expect(hall.uow.outcomes).to.deep.equal(['rolled back', 'rolled back']);
  });

  it('rejects: the application ends rejected, audited as task.rejected', async () => {
    const { hall, uc, taskId } = setup();
    const view = value(await uc.execute({ actor: handler, taskId, action: 'reject', reason: '不符合报销规定' }));
    expect(view).to.deep.include({ state: 'rejected', activeNode: null, currentTasks: [] });
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.rejected']);
  });

  it('returns to the applicant, or refuses a step the application has not passed', async () => {
    const { hall, uc, taskId } = setup();
    expect(
      (
        failure(
          await uc.execute({ actor: handler, taskId, action: 'return', target: 'done', comment: '?' }),
        ) as InputError
      ).problems[0]!.path,
    ).to.equal('/target');
    const view = value(
      await uc.execute({ actor: handler, taskId, action: 'return', target: 'applicant', comment: '请补充发票' }),
    );
    expect(view.state).to.equal('returned');
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.returned']);
  });

  it('releases a claimed task back to its pool', async () => {
    const { uc, taskId } = setup();
    const view = value(await uc.execute({ actor: handler, taskId, action: 'unclaim' }));
    expect(view.currentTasks.map((t) => [t.assignee, t.candidate])).to.deep.equal([
      [null, { role: 'handler', unit: 'finance' }],
    ]);
  });

  it('queues the call of a business system when an action reaches its transfer node, with the change', async () => {
    const definition = ProcessDefinitionMother.create({
      steps: [
        NodeMother.review({ key: 'check' }),
        NodeMother.transfer({ key: 'dorm', name: '宿舍系统', connector: 'dormitory-system' }),
      ],
    });
    const { hall, uc, a, taskId } = setup({ definition });
    value(await uc.execute({ actor: handler, taskId, action: 'approve' }));
    const queued = hall.jobs('connector-call').map((j) => j.data as unknown as ConnectorCall);
    expect(queued.map((r) => [r.applicationId, r.node, r.activation, r.request.connector])).to.deep.equal([
      [a.id, 'dorm', 1, 'dormitory-system'],
    ]);
    expect(queued[0]!.request).to.deep.include({
      caseNumber: '2026-CW-000001',
      node: 'dorm',
      applicant: { id: cast.applicant.id, type: 'student', unit: 'college-info' },
    });
  });

  it('counts due dates from the moment of the action', async () => {
    const { hall, uc, taskId } = setup({
      definition: ProcessDefinitionMother.create({
        steps: [NodeMother.review({ key: 'check' }), NodeMother.approve({ key: 'sign' })],
      }),
    });
    hall.clock.set('2026-11-30T02:00:00Z');
    const view = value(await uc.execute({ actor: handler, taskId, action: 'approve' }));
    expect(view.currentTasks[0]).to.deep.include({ node: 'sign', dueAt: '2026-12-03T15:59:59.999Z' });
  });
});
