import { expect } from 'chai';
import { AbsenceUseCase } from '../../../../src/application/people/absence.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const handler = ActorMother.of(cast.handler, 'req-a');

function setup() {
  const hall = hallWithCast();
  return { hall, uc: new AbsenceUseCase(hall) };
}

describe('AbsenceUseCase (time-boxed delegation)', () => {
  it('names a substitute for a date range, audited', async () => {
    const { hall, uc } = setup();
    const a = value(
      await uc.set({ actor: handler, substitute: cast.colleague.id, from: '2026-12-01', to: '2026-12-05' }),
    );
    expect(a).to.deep.equal({
      personId: cast.handler.id,
      substituteId: cast.colleague.id,
      from: '2026-12-01',
      to: '2026-12-05',
    });
    expect(hall.db.state.absences.get(cast.handler.id)).to.deep.equal(a);
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.after, e.requestId])).to.deep.equal([
      ['absence.set', 'person', cast.handler.id, a, 'req-a'],
    ]);
    expect(
      hall.outbox.map((e) => [e.topic, e.aggregateId]),
      'the outbox event commits with it',
    ).to.deep.equal([['absence.set', cast.handler.id]]);
  });

  it('refuses a substitute who is not another active staff member, and a range that ends before it starts, all at once', async () => {
    const { hall, uc } = setup();
    const leaver = PersonMother.staff({ status: 'suspended' });
    hall.seed.people(leaver);
    const paths = async (substitute: string, to = '2026-12-05') =>
      (failure(await uc.set({ actor: handler, substitute, from: '2026-12-01', to })) as InputError).problems.map(
        (p) => p.path,
      );
    for (const who of [cast.handler.id, cast.applicant.id, leaver.id, 'T9999'])
      expect(await paths(who), who).to.deep.equal(['/substitute']);
    expect(await paths(cast.handler.id, '2026-11-30')).to.deep.equal(['/substitute', '/to']);
    expect(
      failure(await uc.set({ actor: handler, substitute: 'T9999', from: '2026-12-01', to: '2026-12-05' })).code,
    ).to.equal('ABSENCE.INVALID');
    expect([hall.db.state.absences.size, hall.uow.outcomes]).to.deep.equal([0, []]);
  });

  it('refuses dates that match YYYY-MM-DD but are not on the calendar, naming each, and stores nothing', async () => {
    const { hall, uc } = setup();
    const problems = async (from: string, to: string) =>
      (failure(await uc.set({ actor: handler, substitute: cast.colleague.id, from, to })) as InputError).problems;
    expect((await problems('6021-97-15', '2026-02-30')).map((p) => p.path)).to.deep.equal(['/from', '/to']);
    expect((await problems('0000-01-01', '2026-12-05')).map((p) => p.path)).to.deep.equal(['/from']);
    expect([hall.db.state.absences.size, hall.uow.outcomes]).to.deep.equal([0, []]);
  });

  it('clears the absence, audited; with none set it says so and records nothing', async () => {
    const { hall, uc } = setup();
    expect(failure(await uc.clear({ actor: handler })).code).to.equal('ABSENCE.NOT_SET');
    expect(hall.uow.outcomes).to.deep.equal(['rolled back']);
    value(await uc.set({ actor: handler, substitute: cast.colleague.id, from: '2026-12-01', to: '2026-12-05' }));
    expect(value(await uc.clear({ actor: handler }))).to.deep.equal({ cleared: true });
    expect(hall.db.state.absences.size).to.equal(0);
    expect(hall.audit.map((e) => [e.action, e.after])).to.deep.equal([
      ['absence.set', hall.audit[0]!.after],
      ['absence.cleared', null],
    ]);
    expect(hall.outbox.map((e) => e.topic)).to.deep.equal(['absence.set', 'absence.cleared']);
  });
});
