import { expect } from 'chai';
import { ApplicationMother } from '../mothers/application.mother.js';
import { EvaluationMother, FollowUpMother } from '../mothers/evaluation.mother.js';
import { rejection, type Side } from './sides.js';
import { seedWorld, type ContractWorld } from './world.js';

const AT = new Date('2026-11-25T03:00:00.000Z');

/** Ratings (好差评) and follow-ups (整改), as the evaluation use cases keep them in a unit of work. */
export function evaluationRepositoriesContract(name: string, make: () => Promise<Side>): void {
  describe(`EvaluationRepository and FollowUpRepository contract: ${name}`, () => {
    let side: Side;
    let w: ContractWorld;
    let serial = 0;
    before(async () => {
      side = await make();
      w = await seedWorld(side);
    });
    after(async () => {
      await side.close();
    });
    /** A completed application of the world, stored. */
    const completed = async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: `2026-CW-4${String(++serial).padStart(5, '0')}` });
      await side.uow.run((s) => s.applications.add(a));
      return a.id;
    };

    it("round-trips an application's rating, replaces it when put again, and answers null for an unrated one", async () => {
      const applicationId = await completed();
      const rated = EvaluationMother.create({
        applicationId,
        itemId: w.itemId,
        applicantId: w.applicant.id,
        level: 2,
        comment: '太慢',
      });
      await side.uow.run((s) => s.evaluations.put(rated));
      expect((await side.uow.run((s) => s.evaluations.find(applicationId)))!.snapshot()).to.deep.equal(
        rated.snapshot(),
      );
      const changed = EvaluationMother.create({
        ...rated.snapshot(),
        level: 5,
        comment: null,
        changes: 1,
        updatedAt: AT,
      });
      await side.uow.run((s) => s.evaluations.put(changed));
      expect((await side.uow.run((s) => s.evaluations.find(applicationId)))!.snapshot()).to.deep.equal(
        changed.snapshot(),
      );
      const unrated = await completed();
      expect(await side.uow.run((s) => s.evaluations.find(unrated))).to.equal(null);
    });

    it('round-trips a follow-up, finds the open one of an application, and writes its closing', async () => {
      const applicationId = await completed();
      const f = FollowUpMother.create({ applicationId, itemId: w.itemId });
      await side.uow.run((s) => s.followUps.put(f));
      await side.uow.run(async (s) => {
        expect((await s.followUps.findById(f.id))!.snapshot()).to.deep.equal(f.snapshot());
        expect((await s.followUps.findOpen(applicationId))!.id).to.equal(f.id);
        expect(await s.followUps.findById(globalThis.crypto.randomUUID())).to.equal(null);
      });
      expect(f.resolve('T0301', '已整改', AT).ok).to.equal(true);
      await side.uow.run((s) => s.followUps.put(f));
      await side.uow.run(async (s) => {
        expect((await s.followUps.findById(f.id))!.snapshot()).to.deep.equal(f.snapshot());
        expect(await s.followUps.findOpen(applicationId)).to.equal(null);
      });
    });

    it('refuses a second open follow-up of one application', async () => {
      const applicationId = await completed();
      await side.uow.run((s) => s.followUps.put(FollowUpMother.create({ applicationId, itemId: w.itemId })));
      await rejection(side.uow.run((s) => s.followUps.put(FollowUpMother.create({ applicationId, itemId: w.itemId }))));
    });

    it('lists follow-ups by due date, then id, within units and a status, up to the limit', async () => {
      const unit = `unit-${++serial}`;
      const due = (day: number) => new Date(Date.UTC(2027, 0, day, 15, 59, 59, 999));
      const make = async (o: { day: number; status?: 'open' | 'resolved'; owningUnit?: string }) => {
        const f = FollowUpMother.create({
          applicationId: await completed(),
          itemId: w.itemId,
          owningUnit: o.owningUnit ?? unit,
          dueAt: due(o.day),
        });
        if (o.status === 'resolved') f.resolve('T0301', 'ok', AT);
        await side.uow.run((s) => s.followUps.put(f));
        return f.id;
      };
      const late = await make({ day: 20 });
      const early = await make({ day: 5 });
      const closed = await make({ day: 10, status: 'resolved' });
      const elsewhere = await make({ day: 1, owningUnit: `${unit}-x` });
      await side.uow.run(async (s) => {
        expect((await s.followUps.list({ units: [unit], limit: 10 })).map((f) => f.id)).to.deep.equal([
          early,
          closed,
          late,
        ]);
        expect((await s.followUps.list({ units: [unit], status: 'open', limit: 10 })).map((f) => f.id)).to.deep.equal([
          early,
          late,
        ]);
        expect((await s.followUps.list({ units: [unit, `${unit}-x`], limit: 2 })).map((f) => f.id)).to.deep.equal([
          elsewhere,
          early,
        ]);
        expect((await s.followUps.list({ units: 'all', limit: 1000 })).map((f) => f.id)).to.include.members([
          early,
          closed,
          late,
          elsewhere,
        ]);
        expect(await s.followUps.list({ units: ['no-such-unit'], limit: 10 })).to.deep.equal([]);
      });
    });
  });
}
