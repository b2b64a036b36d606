import { expect } from 'chai';
import { PersonMother, RoleMother, UnitMother } from '../mothers/organisation.mother.js';
import type { Side } from './sides.js';

const AT = new Date('2026-11-20T00:00:00.000Z');

/** Units, roles and people as the use cases read them in a unit of work; people and absences written through their ports. */
export function organisationContract(name: string, make: () => Promise<Side>): void {
  describe(`Organisation, PersonnelRecords and Absences contract: ${name}`, () => {
    let side: Side;
    const zhang = PersonMother.staff({ name: '张老师', email: 'zhang@example.edu' });
    const li = PersonMother.student({ name: '李同学' });
    const wang = PersonMother.staff({ name: '王老师', unit: 'logistics', status: 'retired', email: null });
    const sub = PersonMother.staff({ name: '赵老师' });
    before(async () => {
      side = await make();
      await side.seedUnits(...UnitMother.university());
      await side.uow.run(async (s) => {
        for (const p of [zhang, li, wang, sub]) await s.personnel.upsert(p, AT);
      });
    });
    after(async () => {
      await side.close();
    });

    it('lists the units in key order', async () => {
      const units = await side.uow.run((s) => s.organisation.units());
      expect(units).to.deep.equal([...UnitMother.university()].sort((a, b) => a.key.localeCompare(b.key)));
    });

    it("lists the hall's roles in key order, with their scopes", async () => {
      const roles = await side.uow.run((s) => s.organisation.roles());
      expect(roles).to.deep.equal([...RoleMother.hall()].sort((a, b) => a.key.localeCompare(b.key)));
    });

    it('finds a person by id, or null; people by ids, each once, skipping unknown ids', async () => {
      await side.uow.run(async (s) => {
        expect(await s.organisation.person(zhang.id)).to.deep.equal(zhang);
        expect(await s.organisation.person('nobody')).to.equal(null);
        const people = await s.organisation.people([li.id, wang.id, li.id, 'nobody', wang.id]);
        expect([...people].sort((a, b) => a.id.localeCompare(b.id))).to.deep.equal(
          [li, wang].sort((a, b) => a.id.localeCompare(b.id)),
        );
        expect(await s.organisation.people([])).to.deep.equal([]);
      });
    });

    it('upserts a person again with what changed, sets a status, and lists everyone in id order', async () => {
      const moved = { ...li, name: '李同学（转专业）', unit: 'college-marine', email: 'li@example.edu' };
      await side.uow.run(async (s) => {
        await s.personnel.upsert(moved, AT);
        await s.personnel.setStatus(wang.id, 'left', AT);
      });
      await side.uow.run(async (s) => {
        expect(await s.organisation.person(li.id)).to.deep.equal(moved);
        expect((await s.organisation.person(wang.id))?.status).to.equal('left');
        const all = await s.personnel.all();
        expect(all.map((p) => p.id)).to.deep.equal([...all.map((p) => p.id)].sort());
        expect(all).to.deep.include(moved);
      });
      await side.uow.run(async (s) => {
        await s.personnel.upsert(li, AT);
        await s.personnel.setStatus(wang.id, 'retired', AT);
      });
    });

    it('puts a substitute on duty for someone away on that day (dates inclusive), with both among the people', async () => {
      await side.uow.run((s) =>
        s.absences.set({ personId: zhang.id, substituteId: sub.id, from: '2026-12-01', to: '2026-12-03' }, AT),
      );
      await side.uow.run(async (s) => {
        for (const day of ['2026-12-01', '2026-12-03']) {
          const duty = await s.organisation.onDuty([zhang.id, li.id, 'nobody'], day);
          expect([...duty.substitutes]).to.deep.equal([[zhang.id, sub.id]]);
          expect(duty.people.map((p) => p.id).sort()).to.deep.equal([zhang.id, li.id, sub.id].sort());
          expect(duty.people.find((p) => p.id === sub.id)).to.deep.equal(sub);
        }
        for (const day of ['2026-11-30', '2026-12-04']) {
          const duty = await s.organisation.onDuty([zhang.id], day);
          expect([duty.people, [...duty.substitutes]]).to.deep.equal([[zhang], []]);
        }
        expect(await s.organisation.onDuty([], '2026-12-01')).to.deep.equal({ people: [], substitutes: new Map() });
      });
    });

    it('replaces an absence when set again, and clears it (true once, then false)', async () => {
      await side.uow.run((s) =>
        s.absences.set({ personId: li.id, substituteId: sub.id, from: '2026-12-01', to: '2026-12-31' }, AT),
      );
      await side.uow.run((s) =>
        s.absences.set({ personId: li.id, substituteId: zhang.id, from: '2027-01-01', to: '2027-01-31' }, AT),
      );
      await side.uow.run(async (s) => {
        expect([...(await s.organisation.onDuty([li.id], '2026-12-15')).substitutes]).to.deep.equal([]);
        expect([...(await s.organisation.onDuty([li.id], '2027-01-15')).substitutes]).to.deep.equal([
          [li.id, zhang.id],
        ]);
        expect(await s.absences.clear(li.id)).to.equal(true);
        expect(await s.absences.clear(li.id)).to.equal(false);
        expect([...(await s.organisation.onDuty([li.id], '2027-01-15')).substitutes]).to.deep.equal([]);
      });
    });
  });
}
