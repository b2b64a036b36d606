import { expect } from 'chai';
import type { Application } from '../../src/domain/application/application.entity.js';
import type { Task } from '../../src/domain/application/task.js';
import { ConflictError, InputError } from '../../src/domain/shared/errors.js';
import { ApplicationMother, engineContextFor } from '../mothers/application.mother.js';
import { PersonMother, UnitMother } from '../mothers/organisation.mother.js';
import { rejection, type Side } from './sides.js';
import { seedWorld, type ContractWorld } from './world.js';

const LATER = new Date('2026-11-24T01:00:00.000Z');

/** A stored task reads back with every optional member, null when it was never set. */
const asStored = (t: Task): Task => ({ addedBy: null, beforeOf: null, delegatedBy: null, dueAt: null, ...t });

/** Tasks read back in the order they were created, then by position, then by id. */
const byCreation = (a: Task, b: Task): number =>
  Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.order - b.order || (a.id < b.id ? -1 : 1);

/** The application as findById must give it back after it was written with `lockVersion`. */
const storedForm = (a: Application, lockVersion: number) => ({
  ...structuredClone(a.current),
  tasks: a.current.tasks.map(asStored).sort(byCreation),
  lockVersion,
});

const openTask = (a: Application, node: string) => {
  const t = a.tasks.find((x) => x.nodeKey === node && x.status === 'open');
  if (!t) throw new Error(`no open task at ${node}`);
  return t;
};

/** Applications with their tasks and history, and case numbers, as the use cases read and write them in a unit of work. */
export function applicationRepositoryContract(name: string, make: () => Promise<Side>): void {
  describe(`ApplicationRepository and CaseNumberCounter contract: ${name}`, () => {
    let side: Side;
    let w: ContractWorld;
    before(async () => {
      side = await make();
      w = await seedWorld(side);
    });
    after(async () => {
      await side.close();
    });
    const add = async (a: Application) => {
      await side.uow.run((scope) => scope.applications.add(a));
    };
    const load = (id: string) => side.uow.run((scope) => scope.applications.findById(id));

    it('round-trips a draft and an application handled part-way: its fields, tasks, history and process', async () => {
      const draft = ApplicationMother.draft(w);
      const handled = ApplicationMother.handled(w, { until: 'done' });
      handled.comment(w.handler.id, '内部备注', true, LATER);
      for (const a of [draft, handled]) {
        await add(a);
        expect(a.lockVersion, 'the added aggregate knows its stored version').to.equal(1);
        const back = (await load(a.id))!;
        expect(back.current).to.deep.equal(storedForm(a, 1));
        expect(back.process).to.deep.equal(w.definition);
        expect(back.changed).to.equal(false);
        expect(await side.uow.run((scope) => scope.applications.entries(a.id))).to.deep.equal([...a.recorded]);
      }
    });

    it('finds by task, and answers null for an unknown id or task', async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100001' });
      await add(a);
      const taskId = openTask(a, 'check').id;
      expect(
        (await side.uow.run((scope) => scope.applications.findByTaskId(taskId, { forUpdate: true })))?.id,
      ).to.equal(a.id);
      expect(await side.uow.run((scope) => scope.applications.findByTaskId(globalThis.crypto.randomUUID()))).to.equal(
        null,
      );
      expect(await load(globalThis.crypto.randomUUID())).to.equal(null);
    });

    it('saves what changed since the load: new history entries appended, changed tasks written, the version counted up', async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100002' });
      await add(a);
      const taskId = openTask(a, 'check').id;
      const saved = await side.uow.run(async (scope) => {
        const x = (await scope.applications.findById(a.id, { forUpdate: true }))!;
        expect(x.claim(taskId, w.handler.id, true, LATER).ok).to.equal(true);
        x.comment(w.applicant.id, '请尽快', false, LATER);
        await scope.applications.save(x);
        return x;
      });
      expect(saved.lockVersion).to.equal(2);
      const back = (await load(a.id))!;
      expect(back.current).to.deep.equal(storedForm(saved, 2));
      expect(back.tasks.find((t) => t.id === taskId)?.assignee).to.equal(w.handler.id);
      expect(
        (await side.uow.run((scope) => scope.applications.entries(a.id))).map((h) => [h.seq, h.action]),
      ).to.deep.equal([
        [1, 'saved'],
        [2, 'submitted'],
        [3, 'node-activated'],
        [4, 'claimed'],
        [5, 'commented'],
      ]);
    });

    it('saves one application twice in a run, and a save with nothing changed writes nothing', async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100003' });
      await add(a);
      await side.uow.run(async (scope) => {
        const x = (await scope.applications.findById(a.id, { forUpdate: true }))!;
        x.comment(w.handler.id, '第一条', false, LATER);
        await scope.applications.save(x);
        x.comment(w.handler.id, '第二条', false, LATER);
        await scope.applications.save(x);
        await scope.applications.save(x);
      });
      const back = (await load(a.id))!;
      expect(back.lockVersion).to.equal(3);
      expect((await side.uow.run((scope) => scope.applications.entries(a.id, 3))).map((h) => h.comment)).to.deep.equal([
        '第一条',
        '第二条',
      ]);
    });

    it('refuses to save over a change made since the load (APPLICATION.CONCURRENT_CHANGE), keeping nothing of that run', async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100004' });
      await add(a);
      const stale = (await load(a.id))!;
      await side.uow.run(async (scope) => {
        const fresh = (await scope.applications.findById(a.id, { forUpdate: true }))!;
        fresh.comment(w.handler.id, 'first', false, LATER);
        await scope.applications.save(fresh);
      });
      stale.comment(w.handler.id, 'second', false, LATER);
      const thrown = await rejection(
        side.uow.run(async (scope) => {
          await scope.applications.save(stale);
          await scope.audit.record({
            actorId: w.handler.id,
            action: 'x',
            entityType: 'application',
            entityId: a.id,
            at: LATER,
          });
        }),
      );
      expect(thrown).to.be.instanceOf(ConflictError);
      expect(thrown.code).to.equal('APPLICATION.CONCURRENT_CHANGE');
      const entries = await side.uow.run((scope) => scope.applications.entries(a.id));
      expect(entries.filter((h) => h.action === 'commented').map((h) => h.comment)).to.deep.equal(['first']);
      expect((await load(a.id))!.lockVersion).to.equal(2);
    });

    it('serialises runs that load one application for update: both save, neither is lost', async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100005' });
      await add(a);
      const note = (text: string) =>
        side.uow.run(async (scope) => {
          const x = (await scope.applications.findById(a.id, { forUpdate: true }))!;
          x.comment(w.handler.id, text, false, LATER);
          await scope.applications.save(x);
        });
      await Promise.all([note('甲'), note('乙'), note('丙')]);
      const comments = (await side.uow.run((scope) => scope.applications.entries(a.id)))
        .filter((h) => h.action === 'commented')
        .map((h) => h.comment);
      expect([...comments].sort()).to.deep.equal(['丙', '乙', '甲'].sort());
      expect((await load(a.id))!.lockVersion).to.equal(4);
    });

    it("pages the history oldest first; the applicant's pages leave private notes out; a forged cursor is refused", async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100006' });
      a.comment(w.handler.id, '发票待核', true, LATER);
      a.comment(w.applicant.id, '请尽快', false, LATER);
      a.comment(w.handler.id, '已核', false, LATER);
      await add(a);
      const pages = async (forApplicant: boolean, limit: number) =>
        side.uow.run(async (scope) => {
          const seen: number[][] = [];
          let cursor: string | undefined;
          for (let i = 0; i < 10; i++) {
            const page = await scope.applications.history({
              applicationId: a.id,
              forApplicant,
              limit,
              ...(cursor ? { cursor } : {}),
            });
            seen.push(page.items.map((h) => h.seq));
            if (!page.nextCursor) return seen;
            cursor = page.nextCursor;
          }
          throw new Error('too many pages');
        });
      expect(await pages(false, 2)).to.deep.equal([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(await pages(true, 2)).to.deep.equal([[1, 2], [3, 5], [6]]);
      expect(await pages(true, 10)).to.deep.equal([[1, 2, 3, 5, 6]]);
      for (const cursor of [
        'garbage!!',
        Buffer.from('{"x":1}').toString('base64url'),
        Buffer.from('{"k":"x"}').toString('base64url'),
      ]) {
        const e = await rejection(
          side.uow.run((scope) =>
            scope.applications.history({ applicationId: a.id, forApplicant: true, limit: 2, cursor }),
          ),
        );
        expect(e, cursor).to.be.instanceOf(InputError);
        expect(e.code).to.equal('PAGINATION.BAD_CURSOR');
      }
    });

    it('reads the entries after a seq, and the last entry of one kind by one person', async () => {
      const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100007' });
      a.comment(w.handler.id, 'one', false, LATER);
      a.comment(w.applicant.id, 'two', false, LATER);
      a.comment(w.handler.id, 'three', false, new Date(LATER.getTime() + 60_000));
      await add(a);
      await side.uow.run(async (scope) => {
        expect((await scope.applications.entries(a.id, 4)).map((h) => h.comment)).to.deep.equal(['two', 'three']);
        expect(await scope.applications.entries(a.id, 6)).to.deep.equal([]);
        const last = await scope.applications.lastEntry({
          applicationId: a.id,
          actor: w.handler.id,
          action: 'commented',
        });
        expect(last).to.deep.equal(a.recorded.at(-1));
        expect(
          await scope.applications.lastEntry({ applicationId: a.id, actor: w.handler.id, action: 'urged' }),
        ).to.equal(null);
        expect(await scope.applications.entries(globalThis.crypto.randomUUID())).to.deep.equal([]);
      });
    });

    it('finds the applications where a person holds or delegated a live task, in id order', async () => {
      const holder = PersonMother.staff();
      const delegate = PersonMother.staff();
      await side.uow.run(async (scope) => {
        for (const p of [holder, delegate]) await scope.personnel.upsert(p, LATER);
      });
      const world = { ...w, pools: { 'handler@finance': [holder.id] } };
      const ctx = engineContextFor(world, LATER);
      const claimed = ApplicationMother.submitted(world, { caseNumber: '2026-CW-100008' });
      claimed.claim(openTask(claimed, 'check').id, holder.id, true, LATER);
      const delegated = ApplicationMother.submitted(world, { caseNumber: '2026-CW-100009' });
      delegated.claim(openTask(delegated, 'check').id, holder.id, true, LATER);
      delegated.delegate(openTask(delegated, 'check').id, holder.id, delegate.id, undefined, LATER);
      const unclaimed = ApplicationMother.submitted(world, { caseNumber: '2026-CW-100010' });
      const done = ApplicationMother.submitted(world, { caseNumber: '2026-CW-100011' });
      done.claim(openTask(done, 'check').id, holder.id, true, LATER);
      done.approve(openTask(done, 'check').id, holder.id, undefined, ctx);
      for (const a of [claimed, delegated, unclaimed, done]) await add(a);
      const found = await side.uow.run((scope) => scope.applications.withLiveTasksOf(holder.id));
      expect(found.map((a) => a.id)).to.deep.equal([claimed.id, delegated.id].sort());
      expect(
        (await side.uow.run((scope) => scope.applications.withLiveTasksOf(delegate.id))).map((a) => a.id),
      ).to.deep.equal([delegated.id]);
      expect(await side.uow.run((scope) => scope.applications.withLiveTasksOf(PersonMother.staff().id))).to.deep.equal(
        [],
      );
    });

    it('refuses a case number in use (APPLICATION.CASE_NUMBER_TAKEN) and an id in use (PERSISTENCE.DUPLICATE)', async () => {
      const first = ApplicationMother.submitted(w, { caseNumber: '2026-CW-100012' });
      await add(first);
      const taken = await rejection(add(ApplicationMother.submitted(w, { caseNumber: '2026-CW-100012' })));
      expect([taken instanceof ConflictError, taken.code]).to.deep.equal([true, 'APPLICATION.CASE_NUMBER_TAKEN']);
      const again = await rejection(add(first));
      expect([again instanceof ConflictError, again.code]).to.deep.equal([true, 'PERSISTENCE.DUPLICATE']);
    });

    it('numbers cases per year and unit code from 1; a unit without a code counts under its key', async () => {
      await side.seedUnits(UnitMother.create({ key: 'marine-lab', code: 'HY' }));
      const next = (year: number, unit: string) => side.uow.run((scope) => scope.caseNumbers.next({ year, unit }));
      expect(await next(2040, 'finance')).to.deep.equal({ seq: 1, unitCode: 'CW' });
      expect(await next(2040, 'finance')).to.deep.equal({ seq: 2, unitCode: 'CW' });
      expect(await next(2041, 'finance')).to.deep.equal({ seq: 1, unitCode: 'CW' });
      expect(await next(2040, 'marine-lab')).to.deep.equal({ seq: 1, unitCode: 'HY' });
      expect(await next(2040, 'no-such-unit')).to.deep.equal({ seq: 1, unitCode: 'no-such-unit' });
      const rolledBack = await rejection(
        side.uow.run(async (scope) => {
          await scope.caseNumbers.next({ year: 2040, unit: 'finance' });
          throw new Error('refused');
        }),
      );
      expect(rolledBack.message).to.equal('refused');
      expect(await next(2040, 'finance')).to.deep.equal({ seq: 3, unitCode: 'CW' });
    });
  });
}
