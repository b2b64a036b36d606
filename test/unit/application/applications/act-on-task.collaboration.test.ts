import { expect } from 'chai';
import { ActOnTaskUseCase } from '../../../../src/application/applications/act-on-task.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

/** An application whose review step the handler has claimed; a student, a leaver and a stranger exist too. */
function setup() {
  const s = hallWithItem();
  const a = s.stored((w) => {
    const app = ApplicationMother.submitted(w);
    app.claim(openTask(app, 'check').id, cast.handler.id, true, new Date('2026-11-24T01:00:00Z'));
    return app;
  });
  const student = PersonMother.student();
  const leaver = PersonMother.staff({ status: 'left' });
  s.hall.seed.people(student, leaver);
  return { ...s, a, student, leaver, taskId: openTask(a, 'check').id, uc: new ActOnTaskUseCase(s.hall) };
}

const handler = ActorMother.of(cast.handler);
const problems = (e: unknown) => (e as InputError).problems.map((p) => [p.path, p.message]);

describe('ActOnTaskUseCase: working together', () => {
  it('transfers a task for good to another active staff member, audited as task.transferred', async () => {
    const { hall, uc, a, taskId } = setup();
    const view = value(
      await uc.execute({ actor: handler, taskId, action: 'transfer', to: cast.admin.id, comment: '请处理' }),
    );
    expect(view.currentTasks.map((t) => [t.assignee, t.candidate])).to.deep.equal([[cast.admin.id, null]]);
    expect(hall.audit.map((e) => [e.action, e.entityId])).to.deep.equal([['task.transferred', a.id]]);
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal(['task.transferred']);
  });

  it('refuses to hand a task to someone unknown, inactive or not staff, naming the field, before opening a transaction', async () => {
    const { hall, uc, taskId, student, leaver } = setup();
    const before = hall.db.dump();
    const to = async (who: string) =>
      problems(failure(await uc.execute({ actor: handler, taskId, action: 'transfer', to: who })));
    expect(await to('T9999')).to.deep.equal([['/to', "no person 'T9999'"]]);
    expect(await to(leaver.id)).to.deep.equal([['/to', `${leaver.id} is left, not active`]]);
    expect(await to(student.id)).to.deep.equal([['/to', `${student.id} is not staff`]]);
    const e = failure(await uc.execute({ actor: handler, taskId, action: 'delegate', to: student.id }));
    expect(e.code).to.equal('TASK.INVALID_PERSON');
    expect(
      problems(
        failure(
          await uc.execute({ actor: handler, taskId, action: 'add-signer', person: leaver.id, position: 'before' }),
        ),
      )[0]![0],
    ).to.equal('/person');
    expect(hall.uow.outcomes).to.deep.equal([]);
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('delegates a task and takes it back when the delegate resolves it', async () => {
    const { hall, uc, taskId } = setup();
    value(await uc.execute({ actor: handler, taskId, action: 'delegate', to: cast.colleague.id }));
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.colleague), taskId, action: 'approve' })).code,
      'the delegate does not decide',
    ).to.equal('TASK.DELEGATED');
    const back = value(
      await uc.execute({ actor: ActorMother.of(cast.colleague), taskId, action: 'resolve', comment: '已核对' }),
    );
    expect(back.currentTasks.map((t) => t.assignee)).to.deep.equal([cast.handler.id]);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.delegated', 'task.delegation-resolved']);
  });

  it('asks a signer for an opinion before me: my task waits while theirs is open', async () => {
    const { hall, uc, taskId } = setup();
    const view = value(
      await uc.execute({
        actor: handler,
        taskId,
        action: 'add-signer',
        person: cast.admin.id,
        position: 'before',
        comment: '请先出具意见',
      }),
    );
    expect(view.currentTasks.map((t) => [t.assignee, t.status])).to.have.deep.members([
      [cast.handler.id, 'waiting'],
      [cast.admin.id, 'open'],
    ]);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.signer-added']);
  });

  it('adds a countersigner after me in a countersign step and removes them again; the others named by the process stay', async () => {
    const definition = ProcessDefinitionMother.create({
      steps: [
        NodeMother.approve({
          key: 'sign',
          handlers: HandlersMother.people(cast.handler.id, cast.colleague.id),
          mode: 'all',
        }),
      ],
    });
    const s = hallWithItem({ definition });
    const a = s.stored((w) => ApplicationMother.submitted(w));
    const uc = new ActOnTaskUseCase(s.hall);
    const mine = openTask(a, 'sign', cast.handler.id).id;
    const added = value(
      await uc.execute({
        actor: handler,
        taskId: mine,
        action: 'add-signer',
        person: cast.admin.id,
        position: 'after',
      }),
    );
    const signer = added.currentTasks.find((t) => t.assignee === cast.admin.id)!;
    expect(
      failure(
        await uc.execute({
          actor: handler,
          taskId: mine,
          action: 'remove-signer',
          signerTaskId: openTask(a, 'sign', cast.colleague.id).id,
        }),
      ).code,
    ).to.equal('TASK.SIGNER_NOT_ADDED');
    const removed = value(
      await uc.execute({ actor: handler, taskId: mine, action: 'remove-signer', signerTaskId: signer.id }),
    );
    expect(removed.currentTasks.map((t) => t.assignee)).to.have.members([cast.handler.id, cast.colleague.id]);
    expect(s.hall.audit.map((e) => e.action)).to.deep.equal(['task.signer-added', 'task.signer-removed']);
  });

  it("refuses a countersigner after me in an 'any one' step, changing nothing", async () => {
    const { hall, uc, taskId } = setup();
    const before = hall.db.dump();
    expect(
      failure(
        await uc.execute({ actor: handler, taskId, action: 'add-signer', person: cast.admin.id, position: 'after' }),
      ).code,
    ).to.equal('TASK.ADD_SIGNER_NOT_APPLICABLE');
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('copies the application to active people (students too), checking each by its index', async () => {
    const { hall, uc, a, taskId, student, leaver } = setup();
    expect(
      problems(failure(await uc.execute({ actor: handler, taskId, action: 'copy', people: [student.id, leaver.id] }))),
    ).to.deep.equal([['/people/1', `${leaver.id} is left, not active`]]);
    value(await uc.execute({ actor: handler, taskId, action: 'copy', people: [student.id, cast.outsider.id] }));
    expect(hall.stored(a.id).props.copiedTo).to.deep.equal([student.id, cast.outsider.id]);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['task.copied']);
  });
});
