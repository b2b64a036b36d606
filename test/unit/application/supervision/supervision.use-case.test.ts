import { expect } from 'chai';
import type { UnitSupervision } from '../../../../src/application/ports/supervision.port.js';
import { SupervisionUseCase } from '../../../../src/application/supervision/supervision.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const figures = (key: string, name: string): UnitSupervision => ({
  unit: { key, code: key.slice(0, 2).toUpperCase(), name },
  openTasks: 3,
  overdueTasks: 1,
  oldestOverdue: null,
  followUps: { open: 0, overdue: 0, oldestOverdue: null },
  byHandler: [],
});

function setup() {
  const hall = hallWithCast();
  hall.supervision.perUnit.set('finance', figures('finance', '财务处'));
  hall.supervision.perUnit.set('academic-affairs', figures('academic-affairs', '教务处'));
  return { hall, uc: new SupervisionUseCase(hall) };
}

describe('SupervisionUseCase (督办)', () => {
  it("shows a unit's service admin their unit's figures as of now", async () => {
    const { hall, uc } = setup();
    const r = value(await uc.unit({ actor: ActorMother.of(cast.admin), unitKey: 'finance' }));
    expect(r).to.deep.include({ asOf: hall.clock.now().toISOString(), openTasks: 3, overdueTasks: 1 });
    expect(hall.supervision.asked).to.deep.equal([{ unitKey: 'finance', now: hall.clock.now() }]);
  });

  it("shows the President's Office and the IT Office any unit, and every unit at once", async () => {
    const { uc } = setup();
    for (const who of [cast.presidentOffice, cast.itOffice]) {
      expect(value(await uc.unit({ actor: ActorMother.of(who), unitKey: 'academic-affairs' })).unit.name).to.equal(
        '教务处',
      );
      expect(value(await uc.all({ actor: ActorMother.of(who) })).units.map((u) => u.unit.key)).to.deep.equal([
        'finance',
        'academic-affairs',
      ]);
    }
  });

  it("refuses another unit's admin, a handler and the auditors, without asking the figures", async () => {
    const { hall, uc } = setup();
    for (const who of [cast.aaAdmin, cast.handler, cast.auditor]) {
      expect(failure(await uc.unit({ actor: ActorMother.of(who), unitKey: 'finance' })).code, who.id).to.equal(
        'SUPERVISION.FORBIDDEN',
      );
    }
    expect(failure(await uc.all({ actor: ActorMother.of(cast.admin) })).code).to.equal('SUPERVISION.FORBIDDEN');
    expect(hall.supervision.asked).to.deep.equal([]);
  });

  it('answers a unit that does not exist with UNIT.NOT_FOUND', async () => {
    const { uc } = setup();
    expect(
      failure(await uc.unit({ actor: ActorMother.of(cast.presidentOffice), unitKey: 'observatory' })).code,
    ).to.equal('UNIT.NOT_FOUND');
  });
});
