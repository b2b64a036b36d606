import { expect } from 'chai';
import { ListDataReadsUseCase } from '../../../../src/application/audit/list-data-reads.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

describe('ListDataReadsUseCase', () => {
  it("lists who read a person's data, newest first, to auditors and the IT Office only", async () => {
    const hall = hallWithCast();
    const at = new Date('2026-11-30T01:00:00Z');
    for (const readerId of [cast.handler.id, cast.auditor.id])
      hall.readTrail.record({ at, readerId, subjectId: cast.applicant.id, applicationId: 'a-1', what: 'form' });
    hall.readTrail.record({
      at,
      readerId: cast.handler.id,
      subjectId: 'someone-else',
      applicationId: 'a-2',
      what: 'form',
    });
    const uc = new ListDataReadsUseCase(hall);
    const page = value(
      await uc.execute({ actor: ActorMother.of(cast.itOffice), personId: cast.applicant.id, limit: 10 }),
    );
    expect(page.items.map((r) => r.readerId)).to.deep.equal([cast.auditor.id, cast.handler.id]);
    for (const who of [cast.handler, cast.admin, cast.applicant]) {
      expect(
        failure(await uc.execute({ actor: ActorMother.of(who), personId: cast.applicant.id, limit: 10 })).code,
        who.id,
      ).to.equal('AUTH.FORBIDDEN');
    }
  });
});
