import { expect } from 'chai';
import type { TransactionScope } from '../../src/application/ports/unit-of-work.port.js';
import type { ServiceItemState } from '../../src/domain/service-item/service-item-lifecycle.js';
import { ServiceItem, type ServiceItemProps } from '../../src/domain/service-item/service-item.entity.js';
import { ServiceVersion } from '../../src/domain/service-item/service-version.entity.js';
import { ChangeRequest } from '../../src/domain/service-item/change-request.js';
import { ConflictError, InputError } from '../../src/domain/shared/errors.js';
import {
  OnboardingApplicationMother,
  ServiceItemMother,
  ServiceVersionMother,
} from '../mothers/service-item.mother.js';
import { UnitMother } from '../mothers/organisation.mother.js';
import { rejection, type Side } from './sides.js';

const T0 = new Date('2026-11-26T08:00:00.123Z');
const T1 = new Date('2026-11-27T09:30:00.456Z');
const UNITS = UnitMother.university().map((u) => u.key);
const ok = (r: { ok: boolean; error?: unknown }): void => {
  if (!r.ok) throw r.error;
};

async function expectConflict(promise: Promise<unknown>, code: string): Promise<void> {
  const e = await rejection(promise);
  expect(e).to.be.instanceOf(ConflictError);
  expect(e.code).to.equal(code);
}

/** Service items and their versions, as the service-item use cases read and write them in a unit of work. */
export function serviceItemRepositoriesContract(name: string, make: () => Promise<Side>): void {
  describe(`ServiceItemRepository and ServiceVersionRepository contract: ${name}`, () => {
    let side: Side;
    before(async () => {
      side = await make();
      await side.seedUnits(...UnitMother.university());
    });
    after(async () => {
      await side.close();
    });
    const run = <T>(work: (scope: TransactionScope) => Promise<T>) => side.uow.run(work);
    const applied = (o: Parameters<typeof OnboardingApplicationMother.create>[0] = {}) => {
      const r = ServiceItem.apply(
        globalThis.crypto.randomUUID(),
        OnboardingApplicationMother.create({ involvedUnits: ['academic-affairs'], ...o }),
        'T0301',
        T0,
        new Set(UNITS),
      );
      if (!r.ok) throw r.error;
      return r.value;
    };

    describe('ServiceItemRepository', () => {
      it('round-trips every field of an applied item and of one with approvals, a rejection and JSON text; lockVersion starts at 1', async () => {
        const item = applied();
        await run((s) => s.serviceItems.add(item));
        expect(item.lockVersion).to.equal(1);
        expect((await run((s) => s.serviceItems.findById(item.id)))!.snapshot()).to.deep.equal({
          ...item.snapshot(),
          lockVersion: 1,
        });
        const props: ServiceItemProps = ServiceItemMother.create({
          state: 'offboarding_pending',
          involvedUnits: ['finance', 'academic-affairs', 'logistics'],
          name: '成绩单打印',
          description: '多行\n说明 "quoted"',
          approvals: [{ office: 'it-office', by: 'T0002', at: '2026-11-27T01:02:03.004Z', comment: '同意 ✓' }],
          rejection: {
            office: 'president-office',
            by: 'T0001',
            at: '2026-11-20T00:00:00.000Z',
            reason: '材料不全',
            phase: 'onboarding',
          },
          offboardingReason: '业务调整',
          onlineVersionId: globalThis.crypto.randomUUID(),
          createdAt: T0,
          updatedAt: T1,
        }).snapshot();
        await run((s) => s.serviceItems.add(ServiceItem.restore(props)));
        const back = (await run((s) => s.serviceItems.findById(props.id, { forUpdate: true })))!;
        expect(back).to.be.instanceOf(ServiceItem);
        expect(back.snapshot()).to.deep.equal({ ...props, lockVersion: 1 });
      });

      it('finds by code, and answers null for an unknown id or code', async () => {
        const item = applied();
        await run((s) => s.serviceItems.add(item));
        expect((await run((s) => s.serviceItems.findByCode(item.code)))!.id).to.equal(item.id);
        expect(await run((s) => s.serviceItems.findByCode('NO-SUCH'))).to.equal(null);
        expect(await run((s) => s.serviceItems.findById(globalThis.crypto.randomUUID()))).to.equal(null);
      });

      it('refuses a taken code (SERVICE_ITEM.CODE_TAKEN), keeping the first item', async () => {
        const first = applied();
        await run((s) => s.serviceItems.add(first));
        await expectConflict(
          run((s) => s.serviceItems.add(applied({ code: first.code, owningUnit: 'logistics' }))),
          'SERVICE_ITEM.CODE_TAKEN',
        );
        expect((await run((s) => s.serviceItems.findByCode(first.code)))!.id).to.equal(first.id);
      });

      it('refuses an id in use as a duplicate (PERSISTENCE.DUPLICATE), not as a taken code', async () => {
        const first = applied();
        await run((s) => s.serviceItems.add(first));
        const sameId = ServiceItemMother.create({ id: first.id });
        await expectConflict(
          run((s) => s.serviceItems.add(sameId)),
          'PERSISTENCE.DUPLICATE',
        );
        expect((await run((s) => s.serviceItems.findById(first.id)))!.code).to.equal(first.code);
      });

      it('saves the changes and counts the version up; an added item saves again without a reload', async () => {
        const item = applied();
        await run((s) => s.serviceItems.add(item));
        ok(item.approve('it-office', 'T0002', T1, '同意'));
        await run((s) => s.serviceItems.save(item));
        expect(item.lockVersion).to.equal(2);
        let back = (await run((s) => s.serviceItems.findById(item.id)))!.snapshot();
        expect(back).to.deep.equal({ ...item.snapshot(), lockVersion: 2 });
        expect(back.approvals).to.deep.equal([
          { office: 'it-office', by: 'T0002', at: T1.toISOString(), comment: '同意' },
        ]);
        const again = (await run((s) => s.serviceItems.findById(item.id)))!;
        ok(again.approve('president-office', 'T0001', T1));
        await run((s) => s.serviceItems.save(again));
        back = (await run((s) => s.serviceItems.findById(item.id)))!.snapshot();
        expect(back).to.deep.include({ state: 'building', lockVersion: 3, approvals: [] });
      });

      it('refuses to save a stale copy (SERVICE_ITEM.CONCURRENT_CHANGE), leaving the item as the other save left it', async () => {
        const item = applied();
        await run((s) => s.serviceItems.add(item));
        const a = (await run((s) => s.serviceItems.findById(item.id)))!;
        const b = (await run((s) => s.serviceItems.findById(item.id)))!;
        ok(a.approve('it-office', 'T0002', T1));
        await run((s) => s.serviceItems.save(a));
        ok(b.reject('president-office', '不同意', 'T0001', T1));
        await expectConflict(
          run((s) => s.serviceItems.save(b)),
          'SERVICE_ITEM.CONCURRENT_CHANGE',
        );
        expect((await run((s) => s.serviceItems.findById(item.id)))!.snapshot()).to.deep.equal({
          ...a.snapshot(),
          lockVersion: 2,
        });
      });
    });

    describe('ServiceItemRepository.list', () => {
      // codes with a prefix of their own, so the items other cases add stay out of these pages
      const P = `L${Date.now().toString(36).toUpperCase()}`;
      const data: Array<[code: string, owning: string, involved: string[], state: ServiceItemState]> = [
        [`${P}-01`, 'finance', ['finance'], 'onboarding_pending'],
        [`${P}-02`, 'finance', ['finance', 'academic-affairs'], 'building'],
        [`${P}-03`, 'academic-affairs', ['academic-affairs'], 'online'],
        [`${P}-04`, 'logistics', ['logistics', 'finance'], 'online'],
        [`${P}-05`, 'logistics', ['logistics'], 'offline'],
        [`${P}-06`, 'logistics', [], 'online'], // owner not among the involved units: only the owning-unit branch matches
      ];
      const mine = (codes: string[]) => codes.filter((c) => c.startsWith(P));
      const codes = async (o: Parameters<TransactionScope['serviceItems']['list']>[0]) =>
        mine((await run((s) => s.serviceItems.list(o))).items.map((i) => i.code));
      before(async () => {
        for (const [code, owningUnit, involvedUnits, state] of [...data].reverse()) {
          await run((s) => s.serviceItems.add(ServiceItemMother.create({ code, owningUnit, involvedUnits, state })));
        }
      });

      it("lists in code order, everything for 'all' or without a unit filter", async () => {
        const all = data.map(([c]) => c);
        expect(await codes({ units: 'all', limit: 1000 })).to.deep.equal(all);
        expect(await codes({ limit: 1000 })).to.deep.equal(all);
        expect((await run((s) => s.serviceItems.list({ units: 'all', limit: 1000 }))).nextCursor).to.equal(null);
      });

      it('filters by states, and by units: an item matches when a unit owns it or is involved in it', async () => {
        expect(await codes({ states: ['online'], limit: 1000 })).to.deep.equal([`${P}-03`, `${P}-04`, `${P}-06`]);
        expect(await codes({ states: ['building', 'offline'], units: 'all', limit: 1000 })).to.deep.equal([
          `${P}-02`,
          `${P}-05`,
        ]);
        expect(await codes({ units: ['finance'], limit: 1000 })).to.deep.equal([`${P}-01`, `${P}-02`, `${P}-04`]);
        expect(await codes({ units: ['logistics'], limit: 1000 })).to.deep.equal([`${P}-04`, `${P}-05`, `${P}-06`]);
        expect(await codes({ units: ['academic-affairs', 'logistics'], limit: 1000 })).to.deep.equal([
          `${P}-02`,
          `${P}-03`,
          `${P}-04`,
          `${P}-05`,
          `${P}-06`,
        ]);
        expect(await codes({ units: ['finance'], states: ['online'], limit: 1000 })).to.deep.equal([`${P}-04`]);
        expect(await run((s) => s.serviceItems.list({ units: ['no-such-unit'], limit: 10 }))).to.deep.equal({
          items: [],
          nextCursor: null,
        });
        expect(await run((s) => s.serviceItems.list({ units: [], limit: 10 }))).to.deep.equal({
          items: [],
          nextCursor: null,
        });
      });

      for (const limit of [1, 2, 4]) {
        it(`pages with limit ${limit}: each item once, in code order, nextCursor null at the end`, async () => {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let pages = 0; ; pages++) {
            expect(pages, 'too many pages').to.be.below(100);
            const page = await run((s) =>
              s.serviceItems.list({ units: ['logistics', 'academic-affairs'], limit, ...(cursor ? { cursor } : {}) }),
            );
            expect(page.items.length).to.be.within(1, limit);
            seen.push(...page.items.map((i) => i.code));
            if (page.nextCursor === null) break;
            expect(page.items.length).to.equal(limit);
            cursor = page.nextCursor;
          }
          expect(mine(seen)).to.deep.equal([`${P}-02`, `${P}-03`, `${P}-04`, `${P}-05`, `${P}-06`]);
        });
      }

      it('refuses a forged cursor (PAGINATION.BAD_CURSOR)', async () => {
        for (const cursor of [
          'garbage!!',
          Buffer.from('{"x":1}').toString('base64url'),
          Buffer.from('{"k":7}').toString('base64url'),
        ]) {
          const e = await rejection(run((s) => s.serviceItems.list({ units: 'all', limit: 10, cursor })));
          expect(e, cursor).to.be.instanceOf(InputError);
          expect(e.code).to.equal('PAGINATION.BAD_CURSOR');
        }
      });
    });

    describe('ServiceVersionRepository', () => {
      const newItem = async () => {
        const i = applied();
        await run((s) => s.serviceItems.add(i));
        return i.id;
      };

      it('round-trips a version: its definition (or none), confirmations and dates; lockVersion starts at 1', async () => {
        const itemId = await newItem();
        const v = ServiceVersion.draft({
          id: globalThis.crypto.randomUUID(),
          itemId,
          number: 1,
          definition: ServiceVersionMother.draft({ itemId }).definition,
          changeReason: '调整时限',
          by: 'T0301',
          at: T0,
        });
        ok(v.confirm('finance', ['finance', 'academic-affairs'], 'T0301', T1));
        await run((s) => s.serviceVersions.add(v));
        expect(v.lockVersion).to.equal(1);
        const back = (await run((s) => s.serviceVersions.findById(v.id)))!;
        expect(back).to.be.instanceOf(ServiceVersion);
        expect(back.snapshot()).to.deep.equal({ ...v.snapshot(), lockVersion: 1 });
        const bare = ServiceVersionMother.draft({ itemId: await newItem(), definition: null });
        await run((s) => s.serviceVersions.add(bare));
        expect((await run((s) => s.serviceVersions.findById(bare.id)))!.snapshot()).to.deep.equal({
          ...bare.snapshot(),
          lockVersion: 1,
        });
        expect(await run((s) => s.serviceVersions.findById(globalThis.crypto.randomUUID()))).to.equal(null);
      });

      it("lists an item's versions by number, finds its draft, numbers the next one, and loads versions by id", async () => {
        const itemId = await newItem();
        const other = await newItem();
        await run(async (s) => {
          expect(await s.serviceVersions.nextNumber(itemId)).to.equal(1);
          expect(await s.serviceVersions.listByItem(itemId)).to.deep.equal([]);
          expect(await s.serviceVersions.findDraft(itemId)).to.equal(null);
        });
        const v3 = ServiceVersionMother.draft({ itemId, number: 3 });
        const v1 = ServiceVersionMother.create({ itemId, number: 1, state: 'superseded', launchedAt: T1 });
        const v2 = ServiceVersionMother.online({ itemId, number: 2 });
        const o1 = ServiceVersionMother.draft({ itemId: other });
        await run(async (s) => {
          for (const v of [v3, v1, v2, o1]) await s.serviceVersions.add(v);
        });
        await run(async (s) => {
          expect((await s.serviceVersions.listByItem(itemId)).map((v) => [v.number, v.state])).to.deep.equal([
            [1, 'superseded'],
            [2, 'online'],
            [3, 'draft'],
          ]);
          expect((await s.serviceVersions.findDraft(itemId))!.id).to.equal(v3.id);
          expect(await s.serviceVersions.nextNumber(itemId)).to.equal(4);
          expect(await s.serviceVersions.nextNumber(other)).to.equal(2);
          expect(
            (await s.serviceVersions.findByIds([v1.id, o1.id, globalThis.crypto.randomUUID()])).map((v) => v.id).sort(),
          ).to.deep.equal([v1.id, o1.id].sort());
          expect(await s.serviceVersions.findByIds([])).to.deep.equal([]);
        });
      });

      it('refuses a second draft of an item (SERVICE_VERSION.DRAFT_EXISTS)', async () => {
        const itemId = await newItem();
        const first = ServiceVersionMother.draft({ itemId });
        await run((s) => s.serviceVersions.add(first));
        await expectConflict(
          run((s) => s.serviceVersions.add(ServiceVersionMother.draft({ itemId, number: 2 }))),
          'SERVICE_VERSION.DRAFT_EXISTS',
        );
        expect((await run((s) => s.serviceVersions.listByItem(itemId))).map((v) => v.id)).to.deep.equal([first.id]);
      });

      it('refuses an id in use (PERSISTENCE.DUPLICATE)', async () => {
        const first = ServiceVersionMother.online({ itemId: await newItem() });
        await run((s) => s.serviceVersions.add(first));
        const sameId = ServiceVersionMother.draft({ id: first.id, itemId: await newItem() });
        await expectConflict(
          run((s) => s.serviceVersions.add(sameId)),
          'PERSISTENCE.DUPLICATE',
        );
        expect((await run((s) => s.serviceVersions.findById(first.id)))!.state).to.equal('online');
      });

      it('refuses to save a second online version of an item (SERVICE_VERSION.ALREADY_ONLINE)', async () => {
        const itemId = await newItem();
        await run((s) => s.serviceVersions.add(ServiceVersionMother.draft({ itemId })));
        const v1 = (await run((s) => s.serviceVersions.findDraft(itemId)))!;
        ok(v1.launch(T1));
        await run((s) => s.serviceVersions.save(v1));
        expect((await run((s) => s.serviceVersions.findById(v1.id)))!.snapshot()).to.deep.include({
          state: 'online',
          lockVersion: 2,
        });
        await run((s) => s.serviceVersions.add(ServiceVersionMother.draft({ itemId, number: 2 })));
        const v2 = (await run((s) => s.serviceVersions.findDraft(itemId)))!;
        ok(v2.launch(T1));
        await expectConflict(
          run((s) => s.serviceVersions.save(v2)),
          'SERVICE_VERSION.ALREADY_ONLINE',
        );
        expect((await run((s) => s.serviceVersions.findById(v2.id)))!.snapshot()).to.deep.include({
          state: 'draft',
          lockVersion: 1,
          launchedAt: null,
        });
      });

      it('refuses to save a stale copy (SERVICE_VERSION.CONCURRENT_CHANGE), even one that would also go online', async () => {
        const itemId = await newItem();
        const v = ServiceVersionMother.draft({ itemId });
        await run((s) => s.serviceVersions.add(v));
        const a = (await run((s) => s.serviceVersions.findById(v.id)))!;
        const b = (await run((s) => s.serviceVersions.findById(v.id)))!;
        ok(a.confirm('finance', ['finance', 'academic-affairs'], 'T0301', T1));
        await run((s) => s.serviceVersions.save(a));
        const afterA = (await run((s) => s.serviceVersions.findById(v.id)))!.snapshot();
        expect(afterA).to.deep.include({
          lockVersion: 2,
          confirmations: [{ unit: 'finance', by: 'T0301', at: T1.toISOString() }],
        });
        ok(b.confirm('academic-affairs', ['finance', 'academic-affairs'], 'T0101', T1));
        await expectConflict(
          run((s) => s.serviceVersions.save(b)),
          'SERVICE_VERSION.CONCURRENT_CHANGE',
        );
        // a stale copy of a version whose sibling is online: the stale version, not the index, decides
        const online = ServiceVersionMother.online({ itemId, number: 2 });
        await run((s) => s.serviceVersions.add(online));
        const stale = (await run((s) => s.serviceVersions.findById(v.id)))!;
        await run(async (s) => {
          const fresh = (await s.serviceVersions.findById(v.id))!;
          ok(fresh.confirm('academic-affairs', ['finance', 'academic-affairs'], 'T0101', T1));
          await s.serviceVersions.save(fresh);
        });
        ok(stale.launch(T1));
        await expectConflict(
          run((s) => s.serviceVersions.save(stale)),
          'SERVICE_VERSION.CONCURRENT_CHANGE',
        );
        expect((await run((s) => s.serviceVersions.findById(v.id)))!.snapshot()).to.deep.include({
          state: 'draft',
          lockVersion: 3,
        });
      });
    });
    describe('ChangeRequestRepository', () => {
      const filed = (itemId: string, unit: string, at: Date) => {
        const r = ChangeRequest.file({
          id: globalThis.crypto.randomUUID(),
          itemId,
          unit,
          reason: '报销新规 "quoted"',
          needs: [
            { aspect: 'form', description: '增加发票号\n必填' },
            { aspect: 'time-limit', description: '5 个工作日' },
          ],
          by: 'T0301',
          at,
        });
        if (!r.ok) throw r.error;
        return r.value;
      };
      const itemOf = async (unit = 'finance', involvedUnits: string[] = []) => {
        const i = applied({ owningUnit: unit, involvedUnits });
        await run((s) => s.serviceItems.add(i));
        return i.id;
      };

      it('round-trips a pending request, then its acceptance with the draft it opened', async () => {
        const itemId = await itemOf();
        const r = filed(itemId, 'finance', T0);
        await run((s) => s.changeRequests.add(r));
        expect((await run((s) => s.changeRequests.findById(r.id)))!.snapshot()).to.deep.equal(r.snapshot());
        const draft = ServiceVersionMother.draft({ itemId, number: 2 });
        await run(async (s) => {
          await s.serviceVersions.add(draft);
          const locked = (await s.changeRequests.findById(r.id, { forUpdate: true }))!;
          ok(locked.decide({ decision: 'accept', comment: '同意' }, 'T0002', T1, draft.id));
          await s.changeRequests.save(locked);
        });
        expect((await run((s) => s.changeRequests.findById(r.id)))!.snapshot()).to.deep.include({
          state: 'accepted',
          versionId: draft.id,
          decision: { by: 'T0002', at: T1.toISOString(), comment: '同意' },
        });
        expect(await run((s) => s.changeRequests.findById(globalThis.crypto.randomUUID()))).to.equal(null);
      });

      it('keeps one pending request per item (ALREADY_PENDING); a decided one leaves room for the next', async () => {
        const itemId = await itemOf();
        const first = filed(itemId, 'finance', T0);
        await run((s) => s.changeRequests.add(first));
        await expectConflict(
          run((s) => s.changeRequests.add(filed(itemId, 'finance', T1))),
          'CHANGE_REQUEST.ALREADY_PENDING',
        );
        await run(async (s) => {
          const r = (await s.changeRequests.findById(first.id))!;
          ok(r.decide({ decision: 'refuse', reason: '重复' }, 'T0002', T1, globalThis.crypto.randomUUID()));
          await s.changeRequests.save(r);
        });
        await run((s) => s.changeRequests.add(filed(itemId, 'finance', T1)));
      });

      it('lists newest first, by item, state and unit, and pages with a cursor', async () => {
        const a = await itemOf('logistics');
        const b = await itemOf('logistics');
        const c = await itemOf('academic-affairs');
        const made = [filed(a, 'logistics', T0), filed(b, 'logistics', T1), filed(c, 'academic-affairs', T1)];
        for (const r of made) await run((s) => s.changeRequests.add(r));
        const ids = (p: { items: Array<{ id: string }> }) => p.items.map((r) => r.id);
        const mine = await run((s) => s.changeRequests.list({ units: ['logistics'], limit: 10 }));
        expect(ids(mine)).to.deep.equal([made[1]!.id, made[0]!.id]);
        const first = await run((s) => s.changeRequests.list({ units: ['logistics'], limit: 1 }));
        expect(ids(first)).to.deep.equal([made[1]!.id]);
        const second = await run((s) =>
          s.changeRequests.list({ units: ['logistics'], limit: 1, cursor: first.nextCursor! }),
        );
        expect([ids(second), second.nextCursor]).to.deep.equal([[made[0]!.id], null]);
        expect(ids(await run((s) => s.changeRequests.list({ units: 'all', itemId: c, limit: 10 })))).to.deep.equal([
          made[2]!.id,
        ]);
        expect(
          (await run((s) => s.changeRequests.list({ units: ['logistics'], states: ['refused'], limit: 10 }))).items,
        ).to.deep.equal([]);
        expect((await run((s) => s.changeRequests.list({ units: [], limit: 10 }))).items).to.deep.equal([]);
        // a unit involved in an item reads its requests too
        const shared = filed(await itemOf('finance', ['college-marine']), 'finance', T1);
        await run((s) => s.changeRequests.add(shared));
        expect(ids(await run((s) => s.changeRequests.list({ units: ['college-marine'], limit: 10 })))).to.deep.equal([
          shared.id,
        ]);
        await rejection(run((s) => s.changeRequests.list({ units: 'all', limit: 10, cursor: 'forged' })));
      });
    });
  });
}
