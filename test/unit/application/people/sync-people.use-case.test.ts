import { expect } from 'chai';
import { SyncPeopleUseCase } from '../../../../src/application/people/sync-people.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const it_ = ActorMother.of(cast.itOffice);

/**
 * The directory: a newcomer, the handler who has left (holding a claimed task), the colleague
 * renamed, the admin as they are, and someone of a unit the hall does not know. The rest of the
 * cast is missing from it (a partial export).
 */
function setup() {
  const s = hallWithItem();
  const claimed = s.stored((w) => {
    const a = ApplicationMother.submitted(w);
    a.claim(openTask(a, 'check').id, cast.handler.id, true, new Date('2026-11-24T00:00:00Z'));
    return a;
  });
  const newcomer = PersonMother.staff({ unit: 'logistics' });
  s.hall.directory.entries = [
    newcomer,
    { ...cast.handler, status: 'left' },
    { ...cast.colleague, name: '钱会计（新）' },
    cast.admin,
    PersonMother.staff({ id: 'T7777', unit: 'observatory' }),
  ];
  return { ...s, claimed, newcomer, uc: new SyncPeopleUseCase(s.hall) };
}

describe('SyncPeopleUseCase (hall people sync)', () => {
  it('applies the directory in one audited transaction: adds, updates, offboards leavers, skips unknown units', async () => {
    const { hall, uc, claimed, newcomer } = setup();
    const report = value(await uc.execute({ actor: it_ }));
    expect(report.added).to.deep.equal([newcomer.id]);
    expect(report.updated).to.deep.equal([
      { id: cast.handler.id, fields: ['status'] },
      { id: cast.colleague.id, fields: ['name'] },
    ]);
    expect(report.offboarded.map((o) => [o.personId, o.status, o.successor, o.tasks.length])).to.deep.equal([
      [cast.handler.id, 'left', null, 1],
    ]);
    expect([report.unchanged, report.skipped]).to.deep.equal([
      1,
      [{ id: 'T7777', reason: "unknown unit 'observatory'" }],
    ]);
    expect(hall.db.state.people.get(cast.handler.id)!.status).to.equal('left');
    expect(hall.db.state.people.get(cast.auditor.id)!.status, 'missing from the export: left as is').to.equal('active');
    expect(openTask(hall.stored(claimed.id).props, 'check').assignee).to.equal(null);
    expect(hall.audit.map((e) => [e.action, e.entityId])).to.deep.equal([
      ['person.offboarded', cast.handler.id],
      ['people.synced', 'people'],
    ]);
    expect(hall.audit[1]!.after).to.deep.include({ added: [newcomer.id], offboarded: [cast.handler.id] });
    expect(hall.enforcer.refreshes).to.equal(1);
  });

  it('changes nothing the second time', async () => {
    const { hall, uc } = setup();
    value(await uc.execute({ actor: it_ }));
    const again = value(await uc.execute({ actor: it_ }));
    expect([again.added, again.updated, again.offboarded, again.unchanged]).to.deep.equal([[], [], [], 4]);
    expect(hall.db.state.people.get(cast.colleague.id)!.name).to.equal('钱会计（新）');
  });

  it('refuses an unreadable directory and anyone but the IT Office, changing nothing', async () => {
    const { hall, uc } = setup();
    const before = hall.db.dump();
    expect(failure(await uc.execute({ actor: ActorMother.of(cast.admin) })).code).to.equal('AUTH.FORBIDDEN');
    hall.directory.failure = new Error('LDAP: invalid credentials');
    const e = failure(await uc.execute({ actor: it_ }));
    expect([e.code, e.message]).to.deep.equal(['DIRECTORY.UNREADABLE', 'LDAP: invalid credentials']);
    expect([hall.db.dump(), hall.enforcer.refreshes]).to.deep.equal([before, 0]);
  });
});
