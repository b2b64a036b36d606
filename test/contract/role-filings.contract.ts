import { expect } from 'chai';
import type { Person } from '../../src/application/ports/organisation.port.js';
import type { TransactionScope } from '../../src/application/ports/unit-of-work.port.js';
import { RoleFiling } from '../../src/domain/people/role-filing.js';
import { PersonMother, UnitMother } from '../mothers/organisation.mother.js';
import { rejection, type Side } from './sides.js';

const T0 = new Date('2026-11-30T02:00:00.123Z');
const T1 = new Date('2026-12-01T03:00:00.456Z');

export interface FilingSide extends Side {
  seedPeople(...people: Person[]): Promise<void>;
}

/** Role filings (备案), and the filing each role held was granted from, as the use cases keep them. */
export function roleFilingsContract(name: string, make: () => Promise<FilingSide>): void {
  describe(`RoleFilings and grant provenance contract: ${name}`, () => {
    let side: FilingSide;
    const people = [PersonMother.staff(), PersonMother.staff(), PersonMother.staff({ unit: 'logistics' })];
    before(async () => {
      side = await make();
      await side.seedUnits(...UnitMother.university());
      await side.seedPeople(...people);
    });
    after(async () => {
      await side.close();
    });
    const run = <T>(work: (scope: TransactionScope) => Promise<T>) => side.uow.run(work);
    const filed = (subject: string, unit: string, at: Date) => {
      const r = RoleFiling.file({
        id: globalThis.crypto.randomUUID(),
        subject,
        role: 'handler',
        unit,
        items: [{ itemId: globalThis.crypto.randomUUID(), nodes: ['check', 'pay'] }],
        reason: '新进财务人员 "quoted"',
        certificationId: null,
        by: 'T0301',
        at,
      });
      if (!r.ok) throw r.error;
      return r.value;
    };

    it('round-trips a filing, then its decision', async () => {
      const f = filed(people[0]!.id, 'finance', T0);
      await run((s) => s.roleFilings.add(f));
      expect((await run((s) => s.roleFilings.findById(f.id)))!.snapshot()).to.deep.equal(f.snapshot());
      await run(async (s) => {
        const locked = (await s.roleFilings.findById(f.id, { forUpdate: true }))!;
        const d = locked.decide({ decision: 'refuse', reason: '岗位未设' }, 'T0002', T1);
        if (!d.ok) throw d.error;
        await s.roleFilings.save(locked);
      });
      expect((await run((s) => s.roleFilings.findById(f.id)))!.snapshot()).to.deep.include({
        state: 'refused',
        decision: { by: 'T0002', at: T1.toISOString(), comment: '岗位未设' },
      });
      expect(await run((s) => s.roleFilings.findById(globalThis.crypto.randomUUID()))).to.equal(null);
    });

    it('lists newest first, by state, unit and person, and pages with a cursor', async () => {
      const a = filed(people[2]!.id, 'logistics', T0);
      const b = filed(people[2]!.id, 'logistics', T1);
      const c = filed(people[1]!.id, 'academic-affairs', T1);
      for (const f of [a, b, c]) await run((s) => s.roleFilings.add(f));
      const ids = (p: { items: Array<{ id: string }> }) => p.items.map((x) => x.id);
      expect(ids(await run((s) => s.roleFilings.list({ units: ['logistics'], limit: 10 })))).to.deep.equal([
        b.id,
        a.id,
      ]);
      const first = await run((s) => s.roleFilings.list({ units: ['logistics'], limit: 1 }));
      const second = await run((s) =>
        s.roleFilings.list({ units: ['logistics'], limit: 1, cursor: first.nextCursor! }),
      );
      expect([ids(first), ids(second), second.nextCursor]).to.deep.equal([[b.id], [a.id], null]);
      expect(
        ids(
          await run((s) =>
            s.roleFilings.list({ units: 'all', subject: people[1]!.id, states: ['pending'], limit: 10 }),
          ),
        ),
      ).to.deep.equal([c.id]);
      expect((await run((s) => s.roleFilings.list({ units: [], limit: 10 }))).items).to.deep.equal([]);
      await rejection(run((s) => s.roleFilings.list({ units: 'all', limit: 10, cursor: 'forged' })));
    });

    it('a role held names the filing it was granted from; revoked and granted again directly, none', async () => {
      const subject = people[1]!.id;
      const f = filed(subject, 'finance', T0);
      const a = { subject, role: 'handler', unit: 'finance' };
      await run(async (s) => {
        await s.roleFilings.add(f);
        expect(await s.roleAssignments.grant(a, { filingId: f.id })).to.equal(true);
      });
      expect(await run((s) => s.roleAssignments.list({ subject }))).to.deep.equal([{ ...a, filingId: f.id }]);
      await run(async (s) => {
        expect(await s.roleAssignments.revoke(a)).to.equal(true);
        expect(await s.roleAssignments.grant(a)).to.equal(true);
      });
      expect(await run((s) => s.roleAssignments.list({ subject }))).to.deep.equal([{ ...a, filingId: null }]);
      await run((s) => s.roleAssignments.revoke(a));
      expect(await run((s) => s.roleAssignments.list({ subject }))).to.deep.equal([]);
    });
  });
}
