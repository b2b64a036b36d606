import { expect } from 'chai';
import { SearchItemApplicationsUseCase } from '../../../../src/application/applications/search-item-applications.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother, PersonMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem } from '../hall.scenario.js';

const admin = ActorMother.of(cast.admin);
const other = PersonMother.student({ id: '2026110102', name: '李四', unit: 'college-marine' });

/** Three submitted applications a minute apart (the last by another student, still at 'check'), one draft, one completed. */
function setup() {
  const s = hallWithItem();
  s.hall.seed.people(other);
  const at = (m: number) => new Date(Date.UTC(2026, 10, 23, 2, m));
  const first = s.stored((w) => ApplicationMother.handled(w, { at: at(1), until: 'done' }));
  const second = s.stored((w) => ApplicationMother.completed(w, { at: at(2) }));
  const third = s.stored(
    (w) => ApplicationMother.submitted({ ...w, applicant: other }, { at: at(3), caseNumber: '2026-CW-000103' }),
    other,
  );
  s.stored((w) => ApplicationMother.draft(w));
  return { ...s, first, second, third, uc: new SearchItemApplicationsUseCase(s.hall) };
}

describe('SearchItemApplicationsUseCase', () => {
  it('lists the submitted applications of the item, newest first, drafts never; each line without its form', async () => {
    const { uc, item, first, second, third } = setup();
    const page = value(await uc.execute({ actor: admin, itemId: item.id, limit: 10 }));
    expect(page.items.map((l) => l.id)).to.deep.equal([third.id, second.id, first.id]);
    expect(page.items[0]).to.deep.equal({
      id: third.id,
      caseNumber: '2026-CW-000103',
      applicant: { id: other.id, name: '李四', unit: 'college-marine' },
      state: 'in_progress',
      activeNodes: [{ key: 'check', name: '财务审核' }],
      submittedAt: '2026-11-23T02:03:00.000Z',
      updatedAt: '2026-11-23T02:03:00.000Z',
      endedAt: null,
    });
    expect(page.items[1]).to.deep.include({ state: 'completed', activeNodes: [] });
    expect(page.items[1]!.endedAt).to.be.a('string');
    expect(page.nextCursor).to.equal(null);
  });

  it('filters by applicant, state, active node, case number prefix and submission time', async () => {
    const { uc, item, first, second, third } = setup();
    const ids = async (f: object) =>
      value(await uc.execute({ actor: admin, itemId: item.id, limit: 10, ...f })).items.map((l) => l.id);
    expect(await ids({ applicant: other.id })).to.deep.equal([third.id]);
    expect(await ids({ state: 'completed' })).to.deep.equal([second.id]);
    expect(await ids({ node: 'done' })).to.deep.equal([first.id]);
    expect(await ids({ caseNumber: '2026-CW-0001' })).to.deep.equal([third.id]);
    expect(await ids({ caseNumber: '2026-CW-000103' })).to.deep.equal([third.id]);
    expect(
      await ids({
        submittedFrom: new Date('2026-11-23T02:02:00.000Z'),
        submittedTo: new Date('2026-11-23T02:03:00.000Z'),
      }),
    ).to.deep.equal([second.id]);
  });

  it('pages with a cursor bound to the filters: a tampered one, or one used with other filters, is a 400 naming cursor', async () => {
    const { uc, item, first, second, third } = setup();
    const p1 = value(await uc.execute({ actor: admin, itemId: item.id, limit: 2 }));
    expect(p1.items.map((l) => l.id)).to.deep.equal([third.id, second.id]);
    const p2 = value(await uc.execute({ actor: admin, itemId: item.id, limit: 2, cursor: p1.nextCursor! }));
    expect(p2.items.map((l) => l.id)).to.deep.equal([first.id]);
    expect(p2.nextCursor).to.equal(null);
    const decoded = Buffer.from(p1.nextCursor!, 'base64url').toString('utf8');
    const rebound = Buffer.from(decoded.replace(item.id, globalThis.crypto.randomUUID())).toString('base64url');
    expect(rebound).to.not.equal(p1.nextCursor);
    for (const cursor of [rebound, 'bm90IGEgY3Vyc29y', '%%%']) {
      try {
        await uc.execute({ actor: admin, itemId: item.id, limit: 2, cursor });
        expect.fail('a tampered cursor was accepted');
      } catch (e) {
        expect((e as { code?: string }).code).to.equal('PAGINATION.BAD_CURSOR');
      }
    }
    try {
      await uc.execute({ actor: admin, itemId: item.id, limit: 2, cursor: p1.nextCursor!, state: 'completed' });
      expect.fail('a cursor was accepted with other filters');
    } catch (e) {
      expect((e as { code?: string }).code).to.equal('PAGINATION.BAD_CURSOR');
    }
  });

  it('the IT Office searches too; the admin of another unit, a handler, the auditor are refused; an unknown item is 404', async () => {
    const { uc, item } = setup();
    expect(
      value(await uc.execute({ actor: ActorMother.of(cast.itOffice), itemId: item.id, limit: 10 })).items,
    ).to.have.length(3);
    for (const who of [cast.aaAdmin, cast.handler, cast.auditor, cast.applicant])
      expect(
        failure(await uc.execute({ actor: ActorMother.of(who), itemId: item.id, limit: 10 })).code,
        who.id,
      ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.execute({ actor: admin, itemId: globalThis.crypto.randomUUID(), limit: 10 })).code,
    ).to.equal('SERVICE_ITEM.NOT_FOUND');
  });
});
