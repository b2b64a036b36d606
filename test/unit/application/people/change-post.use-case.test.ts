import { expect } from 'chai';
import { ChangePostUseCase } from '../../../../src/application/people/change-post.use-case.js';
import { SyncPeopleUseCase } from '../../../../src/application/people/sync-people.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { HandlersMother, NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const it_ = ActorMother.of(cast.itOffice);
const reason = '调岗';

/**
 * The finance handler, who is also a logistics handler and a (global) auditor, moves to academic
 * affairs. They hold finance's work (a claimed pool task, a step that names them) and logistics'
 * work (a countersign by every logistics handler), and have a live session.
 */
async function setup() {
  const s = hallWithItem();
  s.hall.seed.grant(cast.handler.id, 'handler', 'logistics');
  s.hall.seed.grant(cast.handler.id, 'auditor', '*');
  const named = ProcessDefinitionMother.create({
    steps: [NodeMother.review({ key: 'named', handlers: HandlersMother.people(cast.handler.id) })],
  });
  const elsewhere = ProcessDefinitionMother.create({
    steps: [NodeMother.review({ key: 'sign', handlers: HandlersMother.role('handler', 'logistics'), mode: 'all' })],
  });
  const claimed = s.stored((w) => {
    const a = ApplicationMother.submitted(w);
    a.claim(openTask(a, 'check').id, cast.handler.id, true, new Date('2026-11-24T00:00:00Z'));
    return a;
  });
  const byName = s.stored((w) => ApplicationMother.submitted({ ...w, definition: named }, { caseNumber: '2026-CW-2' }));
  const logistics = s.stored((w) =>
    ApplicationMother.submitted({ ...w, definition: elsewhere }, { caseNumber: '2026-CW-3' }),
  );
  await s.hall.sessions.open({ personId: cast.handler.id, provider: 'local', at: s.hall.clock.now() });
  return { ...s, claimed, byName, logistics, uc: new ChangePostUseCase(s.hall) };
}

const rolesOf = (hall: ReturnType<typeof hallWithItem>['hall'], subject: string) =>
  hall.db.state.roleAssignments.filter((a) => a.subject === subject).map((a) => `${a.role}@${a.unit}`);

describe('ChangePostUseCase (异动/调离)', () => {
  it("in one audited transaction: the unit changes, the old unit's roles and work go, the rest stays, both units' admins are told", async () => {
    const { hall, uc, claimed, byName, logistics } = await setup();
    const report = value(
      await uc.execute({
        actor: it_,
        personId: cast.handler.id,
        unit: 'academic-affairs',
        successor: cast.colleague.id,
        reason,
      }),
    );
    expect(report).to.deep.include({
      personId: cast.handler.id,
      from: 'finance',
      to: 'academic-affairs',
      successor: cast.colleague.id,
      reason,
      sessionsEnded: 1,
    });
    expect(report.rolesRevoked).to.deep.equal([{ subject: cast.handler.id, role: 'handler', unit: 'finance' }]);
    expect(report.tasks.map((t) => [t.applicationId, t.node, t.to])).to.have.deep.members([
      [claimed.id, 'check', cast.colleague.id],
      [byName.id, 'named', cast.colleague.id],
    ]);
    expect(report.notified).to.deep.equal([cast.aaAdmin.id, cast.admin.id].sort());

    expect(hall.db.state.people.get(cast.handler.id)).to.deep.include({ unit: 'academic-affairs', status: 'active' });
    expect(rolesOf(hall, cast.handler.id).sort(), 'no role left in finance; the others stay').to.deep.equal([
      'auditor@*',
      'handler@logistics',
    ]);
    expect(openTask(hall.stored(claimed.id).props, 'check').assignee).to.equal(cast.colleague.id);
    expect(openTask(hall.stored(byName.id).props, 'named').assignee).to.equal(cast.colleague.id);
    expect(openTask(hall.stored(logistics.id).props, 'sign', cast.handler.id), "logistics' work stays").to.exist;
    expect(hall.db.state.sessions.every((x) => x.endedAt !== null)).to.equal(true);
    expect(hall.audit.map((e) => [e.action, e.entityId, e.unit, e.before])).to.deep.equal([
      ['person.post-changed', cast.handler.id, 'finance', { unit: 'finance', roles: report.rolesRevoked }],
    ]);
    expect(hall.outbox.map((o) => [o.topic, o.payload])).to.deep.equal([
      [
        'person.post-changed',
        {
          actor: cast.itOffice.id,
          personId: cast.handler.id,
          from: 'finance',
          to: 'academic-affairs',
          rolesRevoked: 1,
          handedOver: 2,
        },
      ],
    ]);
    expect(
      hall.db.state.notifications.map((n) => [n.recipientId, n.kind]).sort(),
      "both units' service admins are told",
    ).to.deep.equal([
      [cast.aaAdmin.id, 'person.post-changed'],
      [cast.admin.id, 'person.post-changed'],
    ]);
    expect(hall.enforcer.refreshes).to.equal(1);
    expect((await hall.enforcer.rolesOf({ subject: cast.handler.id })).map((r) => r.unit)).to.deep.equal([
      '*',
      'logistics',
    ]);
  });

  it('a second run changes nothing and writes nothing', async () => {
    const { hall, uc } = await setup();
    const input = {
      actor: it_,
      personId: cast.handler.id,
      unit: 'academic-affairs',
      successor: cast.colleague.id,
      reason,
    };
    value(await uc.execute(input));
    const before = hall.db.dump();
    const again = value(await uc.execute(input));
    expect(again).to.deep.include({ from: 'academic-affairs', to: 'academic-affairs', sessionsEnded: 0 });
    expect([again.rolesRevoked, again.tasks, again.notified]).to.deep.equal([[], [], []]);
    expect([hall.db.dump(), hall.audit.length, hall.enforcer.refreshes]).to.deep.equal([before, 1, 1]);
  });

  it("without a successor, a claimed task goes back to its pool and a named one to the owning unit's admins", async () => {
    const { hall, uc, claimed, byName } = await setup();
    const report = value(await uc.execute({ actor: it_, personId: cast.handler.id, unit: 'logistics', reason }));
    expect(report.tasks.map((t) => t.to).sort()).to.deep.equal(['handler@finance', 'unit-service-admin@finance']);
    const back = openTask(hall.stored(claimed.id).props, 'check');
    const escalated = openTask(hall.stored(byName.id).props, 'named');
    expect([back.assignee, back.candidate, back.reason]).to.deep.equal([
      null,
      { role: 'handler', unit: 'finance' },
      'HANDOVER',
    ]);
    expect([escalated.assignee, escalated.candidate]).to.deep.equal([
      null,
      { role: 'unit-service-admin', unit: 'finance' },
    ]);
    expect(rolesOf(hall, cast.handler.id).sort(), 'a role held in the new unit stays').to.deep.equal([
      'auditor@*',
      'handler@logistics',
    ]);
  });

  it('without a role in the old unit, the sessions stay', async () => {
    const { hall, uc } = await setup();
    const report = value(await uc.execute({ actor: it_, personId: cast.outsider.id, unit: 'finance', reason }));
    expect([report.from, report.rolesRevoked, report.sessionsEnded]).to.deep.equal(['logistics', [], 0]);
    expect(hall.db.state.sessions.every((x) => x.endedAt === null)).to.equal(true);
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['person.post-changed']);
  });

  it('refuses anyone but the IT Office, an unknown person or unit, and a successor who cannot take the work, touching nothing', async () => {
    const { hall, uc } = await setup();
    const student = PersonMother.student();
    hall.seed.people(student);
    const before = hall.db.dump();
    const move = (o: { actor?: typeof it_; personId?: string; unit?: string; successor?: string }) =>
      uc.execute({ actor: it_, personId: cast.handler.id, unit: 'academic-affairs', reason, ...o });
    expect(failure(await move({ actor: ActorMother.of(cast.admin) })).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await move({ personId: 'T9999' })).code).to.equal('PERSON.NOT_FOUND');
    expect(failure(await move({ unit: 'observatory' })).code).to.equal('UNIT.NOT_FOUND');
    for (const successor of [student.id, cast.handler.id, 'T9999', cast.outsider.id]) {
      const e = failure(await move({ successor })) as { code: string; problems?: Array<{ path: string }> };
      expect([e.code, e.problems?.[0]?.path], successor).to.deep.equal(['PERSON.BAD_SUCCESSOR', '/successor']);
    }
    expect([hall.db.dump(), hall.uow.outcomes, hall.enforcer.refreshes]).to.deep.equal([before, [], 0]);
  });

  it('hall people sync applies a unit change from the directory the same way, once', async () => {
    const { hall, claimed, byName, logistics } = await setup();
    hall.directory.entries = [{ ...cast.handler, unit: 'academic-affairs' }, cast.colleague];
    const sync = new SyncPeopleUseCase(hall);
    const report = value(await sync.execute({ actor: it_ }));
    expect(report.updated).to.deep.equal([{ id: cast.handler.id, fields: ['unit'] }]);
    expect(report.offboarded).to.deep.equal([]);
    expect(report.moved.map((m) => [m.personId, m.from, m.to, m.rolesRevoked.length, m.tasks.length])).to.deep.equal([
      [cast.handler.id, 'finance', 'academic-affairs', 1, 2],
    ]);
    expect(rolesOf(hall, cast.handler.id).sort()).to.deep.equal(['auditor@*', 'handler@logistics']);
    expect(openTask(hall.stored(claimed.id).props, 'check').assignee).to.equal(null);
    expect(openTask(hall.stored(byName.id).props, 'named').assignee).to.equal(null);
    expect(openTask(hall.stored(logistics.id).props, 'sign', cast.handler.id)).to.exist;
    expect(hall.audit.map((e) => e.action)).to.deep.equal(['person.post-changed', 'people.synced']);
    expect(hall.audit[1]!.after).to.deep.include({ moved: [cast.handler.id] });
    const before = hall.db.dump();
    const again = value(await sync.execute({ actor: it_ }));
    expect([again.moved, again.updated, again.unchanged]).to.deep.equal([[], [], 2]);
    expect(hall.db.state.roleAssignments).to.deep.equal(before.roleAssignments);
  });
});
