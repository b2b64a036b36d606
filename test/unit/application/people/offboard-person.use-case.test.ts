import { expect } from 'chai';
import { OffboardPersonUseCase } from '../../../../src/application/people/offboard-person.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const it_ = ActorMother.of(cast.itOffice);

/**
 * The handler leaves holding two live tasks: a pool task they claimed (check), and the first step
 * of an application whose process names them; they also have a live session.
 */
async function setup() {
  const definition = ProcessDefinitionMother.create({
    steps: [NodeMother.review({ key: 'named', handlers: HandlersMother.people(cast.handler.id) })],
  });
  const s = hallWithItem();
  const claimed = s.stored((w) => {
    const a = ApplicationMother.submitted(w);
    a.claim(openTask(a, 'check').id, cast.handler.id, true, new Date('2026-11-24T00:00:00Z'));
    return a;
  });
  const named = s.stored((w) => ApplicationMother.submitted({ ...w, definition }, { caseNumber: '2026-CW-000002' }));
  await s.hall.sessions.open({ personId: cast.handler.id, provider: 'local', at: s.hall.clock.now() });
  return { ...s, claimed, named, uc: new OffboardPersonUseCase(s.hall) };
}

describe('OffboardPersonUseCase (交接)', () => {
  it('in one audited transaction: status, roles, sessions, and every live task to the successor', async () => {
    const { hall, uc, claimed, named } = await setup();
    const report = value(
      await uc.execute({ actor: it_, personId: cast.handler.id, status: 'left', successor: cast.colleague.id }),
    );
    expect(report).to.deep.include({
      personId: cast.handler.id,
      status: 'left',
      successor: cast.colleague.id,
      sessionsEnded: 1,
    });
    expect(report.rolesRevoked).to.deep.equal([{ subject: cast.handler.id, role: 'handler', unit: 'finance' }]);
    expect(report.tasks.map((t) => [t.applicationId, t.node, t.to])).to.have.deep.members([
      [claimed.id, 'check', cast.colleague.id],
      [named.id, 'named', cast.colleague.id],
    ]);
    expect(hall.db.state.people.get(cast.handler.id)!.status).to.equal('left');
    expect(hall.db.state.roleAssignments.some((a) => a.subject === cast.handler.id)).to.equal(false);
    expect(hall.db.state.sessions.every((x) => x.endedAt !== null)).to.equal(true);
    expect(openTask(hall.stored(named.id).props, 'named').assignee).to.equal(cast.colleague.id);
    expect(hall.audit.map((e) => [e.action, e.entityId, e.unit, e.before])).to.deep.equal([
      ['person.offboarded', cast.handler.id, 'finance', { status: 'active', roles: report.rolesRevoked }],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({
      actor: cast.itOffice.id,
      personId: cast.handler.id,
      status: 'left',
      handedOver: 2,
    });
    expect([hall.enforcer.refreshes, await hall.enforcer.rolesOf({ subject: cast.handler.id })]).to.deep.equal([1, []]);
  });

  it("without a successor, gives a claimed task back to its pool and a named one to the owning unit's admins", async () => {
    const { hall, uc, claimed, named } = await setup();
    value(await uc.execute({ actor: it_, personId: cast.handler.id, status: 'retired' }));
    const back = openTask(hall.stored(claimed.id).props, 'check');
    const escalated = openTask(hall.stored(named.id).props, 'named');
    expect([back.assignee, back.candidate, back.reason]).to.deep.equal([
      null,
      { role: 'handler', unit: 'finance' },
      'HANDOVER',
    ]);
    expect([escalated.assignee, escalated.candidate]).to.deep.equal([
      null,
      { role: 'unit-service-admin', unit: 'finance' },
    ]);
  });

  it('refuses anyone but the IT Office, an unknown person and a successor who is not another active staff member, touching nothing', async () => {
    const { hall, uc } = await setup();
    const student = PersonMother.student();
    hall.seed.people(student);
    const before = hall.db.dump();
    expect(
      failure(await uc.execute({ actor: ActorMother.of(cast.admin), personId: cast.handler.id, status: 'left' })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.execute({ actor: it_, personId: 'T9999', status: 'left' })).code).to.equal(
      'PERSON.NOT_FOUND',
    );
    for (const successor of [student.id, cast.handler.id, 'T9999']) {
      expect(
        failure(await uc.execute({ actor: it_, personId: cast.handler.id, status: 'left', successor })).code,
        successor,
      ).to.equal('PERSON.BAD_SUCCESSOR');
    }
    expect([hall.db.dump(), hall.uow.outcomes, hall.enforcer.refreshes]).to.deep.equal([before, [], 0]);
  });
});
