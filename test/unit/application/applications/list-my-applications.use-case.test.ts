import { expect } from 'chai';
import { ListMyApplicationsUseCase } from '../../../../src/application/applications/list-my-applications.use-case.js';
import { value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

describe('ListMyApplicationsUseCase', () => {
  it("lists only the applicant's own applications, newest first, each with the name of the step it waits at", async () => {
    const { hall, stored } = hallWithItem();
    const older = stored((w) => ApplicationMother.submitted(w, { at: new Date('2026-11-20T02:00:00Z') }));
    const draft = stored((w) => ApplicationMother.draft(w, { at: new Date('2026-11-21T02:00:00Z') }));
    const someoneElse = PersonMother.student();
    hall.seed.people(someoneElse);
    stored((w) => ApplicationMother.submitted(w, { caseNumber: '2026-CW-000009' }), someoneElse);
    const uc = new ListMyApplicationsUseCase(hall);
    const page = value(await uc.execute({ actor: ActorMother.of(cast.applicant), limit: 10 }));
    expect(page.items.map((s) => [s.id, s.state, s.activeNode])).to.deep.equal([
      [draft.id, 'draft', null],
      [older.id, 'in_progress', { key: 'check', name: '财务审核' }],
    ]);
    expect(page.items[1]!.serviceItem).to.deep.include({ code: 'CW-CLBX', name: '差旅费报销' });
    const first = value(await uc.execute({ actor: ActorMother.of(cast.applicant), limit: 1 }));
    const rest = value(
      await uc.execute({ actor: ActorMother.of(cast.applicant), limit: 1, cursor: first.nextCursor! }),
    );
    expect([first.items[0]!.id, rest.items[0]!.id, rest.nextCursor]).to.deep.equal([draft.id, older.id, null]);
  });
});
