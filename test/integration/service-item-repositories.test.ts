import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ConflictError, InputError } from '../../src/domain/shared/errors.js';
import { ServiceItem, type OnboardingApplication, type ServiceItemProps } from '../../src/domain/service-item/service-item.entity.js';
import type { ServiceItemState } from '../../src/domain/service-item/service-item-lifecycle.js';
import { ServiceVersion, type ServiceVersionProps } from '../../src/domain/service-item/service-version.entity.js';
import type { ProcessDefinition } from '../../src/domain/process-definition/process-definition.js';
import { KnexServiceItemRepository } from '../../src/adapters/driven/knex/knex-service-item.repository.js';
import { KnexServiceVersionRepository } from '../../src/adapters/driven/knex/knex-service-version.repository.js';
import { KnexOrganisation } from '../../src/adapters/driven/knex/knex-organisation.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

const AA = 'academic-affairs';
const GS = 'graduate-school';
const LIB = 'library';
const UNITS = [
  { key: AA, code: 'JW', name: '教务处', name_en: 'Academic Affairs Office', kind: 'office' },
  { key: GS, code: 'YJS', name: '研究生院', name_en: null, kind: 'college' },
  { key: LIB, code: 'TSG', name: '图书馆', name_en: 'Library', kind: 'center' },
];
const KNOWN = new Set(UNITS.map((u) => u.key));
const T0 = new Date('2026-11-26T08:00:00.123Z');
const T1 = new Date('2026-11-27T09:30:00.456Z');

const definition: ProcessDefinition = {
  form: { type: 'object', properties: { reason: { type: 'string', maxLength: 200 } } },
  nodes: [
    { key: 'apply', name: '申请', kind: 'start' },
    { key: 'done', name: '办结', kind: 'complete', handlers: { type: 'people', people: ['p1'] }, timeLimit: { workingDays: 1 } },
  ],
};

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await db.knex('units').insert(UNITS);
  return db;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try { await promise; } catch (error) { return error; }
  throw new Error('expected a rejection');
}

async function expectConflict(promise: Promise<unknown>, code: string): Promise<void> {
  const e = await rejection(promise);
  expect(e).to.be.instanceOf(ConflictError);
  expect((e as ConflictError).code).to.equal(code);
}

function applied(code: string, a: Partial<OnboardingApplication> = {}): ServiceItem {
  const r = ServiceItem.apply(randomUUID(), {
    code, name: `事项 ${code}`, owningUnit: AA, involvedUnits: [GS], description: '说明', offlineProcedure: '线下办理', ...a,
  }, 'p-admin', T0, KNOWN);
  if (!r.ok) throw r.error;
  return r.value;
}

function itemProps(code: string, owningUnit: string, involvedUnits: string[], state: ServiceItemState): ServiceItemProps {
  return {
    id: randomUUID(), code, name: code, owningUnit, involvedUnits, description: '', offlineProcedure: '', state,
    approvals: [], rejection: null, offboardingReason: null, onlineVersionId: null, lockVersion: 0,
    createdBy: 'p-admin', createdAt: T0, updatedAt: T0,
  };
}

const ok = (r: { ok: boolean; error?: unknown }): void => { if (!r.ok) throw r.error; };

describe('KnexServiceItemRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let repo: KnexServiceItemRepository;
  before(async () => { db = await freshDatabase(); repo = new KnexServiceItemRepository(db.knex); });
  after(async () => { await db.drop(); });

  it('round-trips every field of a freshly applied item; the stored lock version starts at 1', async () => {
    const item = applied('JW-RT1'); await repo.add(item);
    const back = await repo.findById(item.id);
    expect(back).to.be.instanceOf(ServiceItem);
    expect(back!.snapshot()).to.deep.equal({ ...item.snapshot(), lockVersion: 1 });
    expect(back!.snapshot().involvedUnits).to.deep.equal([AA, GS]);
  });

  it('round-trips Dates, arrays and the approvals/rejection JSON of a restored item', async () => {
    const props: ServiceItemProps = {
      ...itemProps('JW-RT2', AA, [AA, GS, LIB], 'offboarding_pending'),
      name: '成绩单打印', description: '多行\n说明 "quoted"', offlineProcedure: '到窗口办理',
      approvals: [{ office: 'it-office', by: 'p-it', at: '2026-11-27T01:02:03.004Z', comment: '同意 ✓' }],
      rejection: { office: 'president-office', by: 'p-pres', at: '2026-11-20T00:00:00.000Z', reason: '材料不全', phase: 'onboarding' },
      offboardingReason: '业务调整', onlineVersionId: randomUUID(), createdAt: T0, updatedAt: T1,
    };
    await repo.add(ServiceItem.restore(props));
    const snap = (await repo.findById(props.id))!.snapshot();
    expect(snap).to.deep.equal({ ...props, lockVersion: 1 });
    expect(snap.createdAt).to.be.instanceOf(Date);
    expect(snap.updatedAt.getTime()).to.equal(T1.getTime());
  });

  it('finds by code, and returns null for an unknown id or code', async () => {
    const item = applied('JW-FC1'); await repo.add(item);
    expect((await repo.findByCode('JW-FC1'))!.id).to.equal(item.id);
    expect(await repo.findByCode('JW-NOPE')).to.equal(null);
    expect(await repo.findById(randomUUID())).to.equal(null);
  });

  it('refuses a taken code with SERVICE_ITEM.CODE_TAKEN and keeps the first item', async () => {
    const first = applied('JW-DUP');
    await repo.add(first);
    await expectConflict(repo.add(applied('JW-DUP', { owningUnit: GS })), 'SERVICE_ITEM.CODE_TAKEN');
    expect((await repo.findByCode('JW-DUP'))!.id).to.equal(first.id);
    expect(await db.knex('service_items').where({ code: 'JW-DUP' }).count({ n: '*' })).to.deep.equal([{ n: 1 }]);
  });

  it('save persists the changes and increments lock_version', async () => {
    const item = applied('JW-SV1');
    await repo.add(item);
    const loaded = (await repo.findById(item.id))!;
    ok(loaded.approve('it-office', 'p-it', T1, '同意'));
    await repo.save(loaded);
    let back = (await repo.findById(item.id))!.snapshot();
    expect(back.lockVersion).to.equal(2);
    expect(back.approvals).to.deep.equal([{ office: 'it-office', by: 'p-it', at: T1.toISOString(), comment: '同意' }]);
    expect(back.updatedAt.getTime()).to.equal(T1.getTime());
    expect(back).to.deep.equal({ ...loaded.snapshot(), lockVersion: 2 });

    const again = (await repo.findById(item.id))!;
    ok(again.approve('president-office', 'p-pres', T1));
    await repo.save(again);
    back = (await repo.findById(item.id))!.snapshot();
    expect(back).to.include({ state: 'building', lockVersion: 3 });
    expect(back.approvals).to.deep.equal([]);
  });

  it('save of a stale copy throws SERVICE_ITEM.CONCURRENT_CHANGE and leaves the row unchanged', async () => {
    const item = applied('JW-ST1');
    await repo.add(item);
    const a = (await repo.findById(item.id))!;
    const b = (await repo.findById(item.id))!;
    ok(a.approve('it-office', 'p-it', T1));
    await repo.save(a);
    const afterA = (await repo.findById(item.id))!.snapshot();
    ok(b.reject('president-office', '不同意', 'p-pres', T1));
    await expectConflict(repo.save(b), 'SERVICE_ITEM.CONCURRENT_CHANGE');
    expect((await repo.findById(item.id))!.snapshot()).to.deep.equal(afterA);
    expect(afterA).to.include({ state: 'onboarding_pending', lockVersion: 2 });
  });
});

describe('KnexServiceItemRepository.list (real PostgreSQL)', () => {
  let db: TestDatabase;
  let repo: KnexServiceItemRepository;
  const data: Array<[code: string, owning: string, involved: string[], state: ServiceItemState]> = [
    ['JW-L01', AA, [AA], 'onboarding_pending'],
    ['JW-L02', AA, [AA, GS], 'building'],
    ['YJS-L03', GS, [GS], 'online'],
    ['TSG-L04', LIB, [LIB, AA], 'online'],
    ['TSG-L05', LIB, [LIB], 'offline'],
    ['TSG-L06', LIB, [], 'online'], // owner not among the involved units: only the owning-unit branch matches
  ];
  const allCodes = data.map(([c]) => c).sort();
  const codes = async (o: Parameters<KnexServiceItemRepository['list']>[0]) => (await repo.list(o)).items.map((i) => i.code);

  before(async () => {
    db = await freshDatabase(); repo = new KnexServiceItemRepository(db.knex);
    for (const [code, owning, involved, state] of [...data].reverse()) await repo.add(ServiceItem.restore(itemProps(code, owning, involved, state)));
  });
  after(async () => { await db.drop(); });

  it("lists everything in code order for 'all' or no unit filter", async () => {
    expect(await codes({ units: 'all', limit: 100 })).to.deep.equal(allCodes);
    expect(await codes({ limit: 100 })).to.deep.equal(allCodes);
    expect((await repo.list({ units: 'all', limit: 100 })).nextCursor).to.equal(null);
  });

  it('filters by states', async () => {
    expect(await codes({ states: ['online'], limit: 100 })).to.deep.equal(['TSG-L04', 'TSG-L06', 'YJS-L03']);
    expect(await codes({ states: ['building', 'offline'], units: 'all', limit: 100 })).to.deep.equal(['JW-L02', 'TSG-L05']);
  });

  it('filters by units: an item matches when a unit owns it OR is involved in it', async () => {
    expect(await codes({ units: [AA], limit: 100 })).to.deep.equal(['JW-L01', 'JW-L02', 'TSG-L04']);
    expect(await codes({ units: [GS], limit: 100 })).to.deep.equal(['JW-L02', 'YJS-L03']);
    expect(await codes({ units: [LIB], limit: 100 })).to.deep.equal(['TSG-L04', 'TSG-L05', 'TSG-L06']);
    expect(await codes({ units: [GS, LIB], limit: 100 })).to.deep.equal(['JW-L02', 'TSG-L04', 'TSG-L05', 'TSG-L06', 'YJS-L03']);
    expect(await codes({ units: [AA], states: ['online'], limit: 100 })).to.deep.equal(['TSG-L04']);
    expect(await codes({ units: ['unknown-unit'], limit: 100 })).to.deep.equal([]);
  });

  it('returns an empty page for an empty units list', async () => {
    expect(await repo.list({ units: [], limit: 100 })).to.deep.equal({ items: [], nextCursor: null });
  });

  for (const limit of [1, 2, 3, 4, 6]) {
    it(`pages with limit ${limit}: every item exactly once, in code order, nextCursor null at the end`, async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; ; pages++) {
        expect(pages, 'too many pages').to.be.below(10);
        const page = await repo.list({ units: 'all', limit, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).to.be.within(1, limit);
        seen.push(...page.items.map((i) => i.code));
        if (page.nextCursor === null) break;
        expect(page.items.length).to.equal(limit);
        cursor = page.nextCursor;
      }
      expect(seen).to.deep.equal(allCodes);
    });
  }

  it('pages a filtered listing with the cursor', async () => {
    const first = await repo.list({ units: [GS, LIB], limit: 2 });
    expect(first.items.map((i) => i.code)).to.deep.equal(['JW-L02', 'TSG-L04']);
    const second = await repo.list({ units: [GS, LIB], limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.code)).to.deep.equal(['TSG-L05', 'TSG-L06']);
    const third = await repo.list({ units: [GS, LIB], limit: 2, cursor: second.nextCursor! });
    expect(third).to.deep.include({ nextCursor: null });
    expect(third.items.map((i) => i.code)).to.deep.equal(['YJS-L03']);
  });

  it('rejects a garbage cursor with PAGINATION.BAD_CURSOR', async () => {
    for (const cursor of ['garbage!!', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('{"k":7}').toString('base64url')]) {
      const e = await rejection(repo.list({ units: 'all', limit: 10, cursor }));
      expect(e, cursor).to.be.instanceOf(InputError);
      expect((e as InputError).code).to.equal('PAGINATION.BAD_CURSOR');
    }
  });
});

describe('KnexServiceVersionRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let items: KnexServiceItemRepository;
  let repo: KnexServiceVersionRepository;
  let seq = 0;
  const newItem = async () => { const i = applied(`JW-V${++seq}`); await items.add(i); return i.id; };
  const draft = (itemId: string, number: number, def: ProcessDefinition | null = definition) =>
    ServiceVersion.draft({ id: randomUUID(), itemId, number, definition: def, changeReason: null, by: 'p-admin', at: T0 });
  const restored = (itemId: string, number: number, state: ServiceVersionProps['state']) =>
    ServiceVersion.restore({ ...draft(itemId, number).snapshot(), state, launchedAt: state === 'draft' ? null : T1 });

  before(async () => { db = await freshDatabase(); items = new KnexServiceItemRepository(db.knex); repo = new KnexServiceVersionRepository(db.knex); });
  after(async () => { await db.drop(); });

  it('round-trips a version: definition JSON (or null), confirmations, dates; lock version starts at 1', async () => {
    const itemId = await newItem();
    const v = ServiceVersion.draft({ id: randomUUID(), itemId, number: 1, definition, changeReason: '调整时限', by: 'p-admin', at: T0 });
    ok(v.confirm(AA, [AA, GS], 'p-aa', T1));
    ok(v.confirm(GS, [AA, GS], 'p-gs', T1));
    await repo.add(v);
    const back = (await repo.findById(v.id))!;
    expect(back).to.be.instanceOf(ServiceVersion);
    expect(back.snapshot()).to.deep.equal({ ...v.snapshot(), lockVersion: 1 });
    expect(back.definition).to.deep.equal(definition);
    expect(back.confirmations.map((c) => c.unit)).to.deep.equal([AA, GS]);
    expect(await repo.findById(randomUUID())).to.equal(null);
    const bare = draft(await newItem(), 1, null);
    await repo.add(bare);
    expect((await repo.findById(bare.id))!.snapshot()).to.deep.equal({ ...bare.snapshot(), lockVersion: 1 });
  });

  it('lists by item ordered by number, finds the draft, and numbers the next version', async () => {
    const itemId = await newItem();
    const other = await newItem();
    expect(await repo.nextNumber(itemId)).to.equal(1);
    expect(await repo.listByItem(itemId)).to.deep.equal([]);
    expect(await repo.findDraft(itemId)).to.equal(null);
    const [v3, v1, v2] = [restored(itemId, 3, 'draft'), restored(itemId, 1, 'superseded'), restored(itemId, 2, 'online')];
    for (const v of [v3, v1, v2]) await repo.add(v);
    await repo.add(draft(other, 1));
    expect((await repo.listByItem(itemId)).map((v) => [v.number, v.state])).to.deep.equal([[1, 'superseded'], [2, 'online'], [3, 'draft']]);
    expect((await repo.findDraft(itemId))!.id).to.equal(v3.id);
    expect(await repo.nextNumber(itemId)).to.equal(4);
    expect(await repo.nextNumber(other)).to.equal(2);
  });

  it('refuses a second draft for the same item with SERVICE_VERSION.DRAFT_EXISTS', async () => {
    const itemId = await newItem();
    const first = draft(itemId, 1);
    await repo.add(first);
    await expectConflict(repo.add(draft(itemId, 2)), 'SERVICE_VERSION.DRAFT_EXISTS');
    expect((await repo.listByItem(itemId)).map((v) => v.id)).to.deep.equal([first.id]);
  });

  it('refuses a second online version of one item with SERVICE_VERSION.ALREADY_ONLINE on save', async () => {
    const itemId = await newItem();
    await repo.add(draft(itemId, 1));
    const v1 = (await repo.findDraft(itemId))!;
    ok(v1.launch(T1));
    await repo.save(v1);
    expect((await repo.findById(v1.id))!.snapshot()).to.include({ state: 'online', lockVersion: 2 });
    await repo.add(draft(itemId, 2));
    const v2 = (await repo.findDraft(itemId))!;
    ok(v2.launch(T1));
    await expectConflict(repo.save(v2), 'SERVICE_VERSION.ALREADY_ONLINE');
    expect((await repo.findById(v2.id))!.snapshot()).to.include({ state: 'draft', lockVersion: 1, launchedAt: null });
  });

  it('save of a stale copy throws SERVICE_VERSION.CONCURRENT_CHANGE and leaves the row unchanged', async () => {
    const itemId = await newItem();
    const v = draft(itemId, 1);
    await repo.add(v);
    const a = (await repo.findById(v.id))!;
    const b = (await repo.findById(v.id))!;
    ok(a.confirm(AA, [AA, GS], 'p-aa', T1));
    await repo.save(a);
    const afterA = (await repo.findById(v.id))!.snapshot();
    expect(afterA.lockVersion).to.equal(2);
    expect(afterA.confirmations).to.deep.equal([{ unit: AA, by: 'p-aa', at: T1.toISOString() }]);
    ok(b.confirm(GS, [AA, GS], 'p-gs', T1));
    await expectConflict(repo.save(b), 'SERVICE_VERSION.CONCURRENT_CHANGE');
    expect((await repo.findById(v.id))!.snapshot()).to.deep.equal(afterA);
  });
});

describe('KnexOrganisation (real PostgreSQL)', () => {
  let db: TestDatabase;
  let org: KnexOrganisation;
  before(async () => {
    db = await freshDatabase();
    await db.knex('people').insert([
      { id: 'T001', name: '张老师', type: 'staff', unit_key: AA, status: 'active', email: 'zhang@example.edu' },
      { id: 'S2026001', name: '李同学', type: 'student', unit_key: GS, status: 'active', email: null },
      { id: 'T002', name: '王老师', type: 'staff', unit_key: LIB, status: 'retired', email: null },
    ]);
    org = new KnexOrganisation(db.knex);
  });
  after(async () => { await db.drop(); });

  it('lists units ordered by key with nameEn mapped', async () => {
    expect(await org.units()).to.deep.equal(UNITS.map(({ name_en, ...u }) => ({ ...u, nameEn: name_en })));
    expect((await org.units())[0]).to.deep.equal({ key: AA, code: 'JW', name: '教务处', nameEn: 'Academic Affairs Office', kind: 'office' });
  });

  it('lists the seeded roles ordered by key, with their scopes', async () => {
    const roles = await org.roles();
    expect(roles.map((r) => r.key)).to.deep.equal([
      'auditor', 'college-deputy-secretary', 'college-secretary', 'counselor', 'department-head',
      'handler', 'it-office', 'president-office', 'unit-service-admin',
    ]);
    expect(roles).to.deep.include({ key: 'it-office', name: '信息化管理办公室', scope: 'global' });
    expect(roles).to.deep.include({ key: 'handler', name: '办理人员', scope: 'unit' });
  });

  it('finds a person by id, or null', async () => {
    expect(await org.person('T001')).to.deep.equal({ id: 'T001', name: '张老师', type: 'staff', unit: AA, status: 'active', email: 'zhang@example.edu' });
    expect(await org.person('nobody')).to.equal(null);
  });

  it('finds people by ids, each once despite duplicates, skipping unknown ids', async () => {
    const people = await org.people(['S2026001', 'T002', 'S2026001', 'nobody', 'T002']);
    expect(people.map((p) => p.id).sort()).to.deep.equal(['S2026001', 'T002']);
    expect(people.find((p) => p.id === 'S2026001')).to.deep.equal({ id: 'S2026001', name: '李同学', type: 'student', unit: GS, status: 'active', email: null });
    expect(await org.people([])).to.deep.equal([]);
  });
});

describe('optimistic versions follow the aggregate (real PostgreSQL)', () => {
  let db: TestDatabase;
  before(async () => { db = await freshDatabase(); });
  after(async () => { await db.drop(); });

  it('an added item can be saved again without reloading, and its snapshot shows the stored version', async () => {
    const repo = new KnexServiceItemRepository(db.knex);
    const app: OnboardingApplication = { code: 'JW-LOCK', name: 'n', owningUnit: AA, involvedUnits: [], description: 'd', offlineProcedure: 'o' };
    const created = ServiceItem.apply(randomUUID(), app, 'p1', T0, KNOWN);
    if (!created.ok) throw created.error;
    const item = created.value;
    await repo.add(item);
    expect(item.lockVersion).to.equal(1);
    item.approve('it-office', 'p2', T1);
    await repo.save(item);
    expect(item.lockVersion).to.equal(2);
    item.approve('president-office', 'p3', T1);
    await repo.save(item);
    const row = await db.knex('service_items').where({ id: item.id }).first();
    expect([row.lock_version, row.state, item.snapshot().lockVersion]).to.deep.equal([3, 'building', 3]);
  });

  it('a duplicate id is a generic conflict, not a misleading "code taken"', async () => {
    const repo = new KnexServiceItemRepository(db.knex);
    const id = randomUUID();
    const make = (code: string) => {
      const r = ServiceItem.apply(id, { code, name: 'n', owningUnit: AA, involvedUnits: [], description: 'd', offlineProcedure: 'o' }, 'p1', T0, KNOWN);
      if (!r.ok) throw r.error;
      return r.value;
    };
    await repo.add(make('JW-DUPA'));
    const error = await rejection(repo.add(make('JW-DUPB')));
    expect(error).to.be.instanceOf(ConflictError);
    expect((error as ConflictError).code).to.equal('PERSISTENCE.DUPLICATE');
  });
});

describe('KnexServiceVersionRepository.findByIds (real PostgreSQL)', () => {
  let db: TestDatabase;
  before(async () => { db = await freshDatabase(); });
  after(async () => { await db.drop(); });

  it('loads exactly the versions asked for, in one call, ignoring unknown ids', async () => {
    const items = new KnexServiceItemRepository(db.knex);
    const versions = new KnexServiceVersionRepository(db.knex);
    const ids: string[] = [];
    for (const code of ['JW-FA', 'JW-FB', 'JW-FC']) {
      const r = ServiceItem.apply(randomUUID(), { code, name: 'n', owningUnit: AA, involvedUnits: [], description: 'd', offlineProcedure: 'o' }, 'p1', T0, KNOWN);
      if (!r.ok) throw r.error;
      await items.add(r.value);
      const v = ServiceVersion.draft({ id: randomUUID(), itemId: r.value.id, number: 1, definition, changeReason: null, by: 'p1', at: T0 });
      await versions.add(v);
      ids.push(v.id);
    }
    const found = await versions.findByIds([ids[0]!, ids[2]!, randomUUID()]);
    expect(found.map((v) => v.id).sort()).to.deep.equal([ids[0]!, ids[2]!].sort());
    expect(found.every((v) => v.definition !== null)).to.equal(true);
    expect(await versions.findByIds([])).to.deep.equal([]);
  });
});
