import { expect } from 'chai';
import type { Application } from '../../src/domain/application/application.entity.js';
import type { HandlerLists } from '../../src/application/ports/handler-lists.port.js';
import { ApplicationMother, engineContextFor } from '../mothers/application.mother.js';
import type { Side } from './sides.js';
import { seedWorld, type ContractWorld } from './world.js';

export interface HandlerListsSide extends Side {
  lists: HandlerLists;
}

const T0 = new Date('2026-11-23T02:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const ok = (r: { ok: boolean; error?: Error }) => {
  if (!r.ok) throw r.error;
};

/**
 * The handler's lists over applications written by the application repository in units of work:
 * one line per task with the person's last action on it, newest first, paged and filtered; the
 * applications copied to a person; and the counts, overdue against the instant asked about.
 */
export function handlerListsContract(name: string, make: () => Promise<HandlerListsSide>): void {
  describe(`HandlerLists contract: ${name}`, () => {
    let side: HandlerListsSide;
    let w: ContractWorld;
    let other: ContractWorld;
    /** The handler's actions, oldest first: [application, task id, outcome]. */
    const acted: Array<{ a: Application; taskId: string }> = [];
    let copiedApp: Application;
    const pools = [{ role: 'handler', unit: 'finance' }];

    before(async () => {
      side = await make();
      w = await seedWorld(side);
      // a second item handled by the same handler
      other = { ...(await seedWorld(side)), handler: w.handler, pools: w.pools };
      const person = w.handler.id;
      const handle = async (world: ContractWorld, n: number, act: (a: Application, taskId: string) => void) => {
        const a = ApplicationMother.submitted(world, { at: minutes(n), caseNumber: `2026-CW-20000${n}` });
        const taskId = a.tasks.find((t) => t.status === 'open')!.id;
        ok(a.claim(taskId, person, true, minutes(n)));
        act(a, taskId);
        await side.uow.run((scope) => scope.applications.add(a));
        return { a, taskId };
      };
      acted.push(await handle(w, 1, (a, id) => ok(a.approve(id, person, '同意', engineContextFor(w, minutes(2))))));
      acted.push(
        await handle(other, 3, (a, id) => ok(a.approve(id, person, undefined, engineContextFor(other, minutes(4))))),
      );
      acted.push(await handle(w, 5, (a, id) => ok(a.reject(id, person, '票据不符', engineContextFor(w, minutes(6))))));
      // delegated, handed back, then transferred: one line, the transfer
      acted.push(
        await handle(w, 7, (a, id) => {
          ok(a.delegate(id, person, 'P-DELEGATE', undefined, minutes(8)));
          ok(a.resolveDelegation(id, 'P-DELEGATE', '已核', minutes(9)));
          ok(a.transfer(id, person, 'P-TRANSFER', undefined, minutes(10)));
        }),
      );
      // copied (twice to P-COPY-A), then saved in a second unit of work
      const c = await handle(w, 11, (a, id) => ok(a.copyTo(id, person, ['P-COPY-A', 'P-COPY-B'], minutes(12))));
      copiedApp = c.a;
      await side.uow.run(async (scope) => {
        const a = (await scope.applications.findById(c.a.id, { forUpdate: true }))!;
        ok(a.copyTo(c.taskId, person, ['P-COPY-A'], minutes(13)));
        await scope.applications.save(a);
      });
    });
    after(async () => {
      await side.close();
    });

    const done = (o: Partial<Parameters<HandlerLists['done']>[0]> = {}) =>
      side.lists.done({ person: w.handler.id, filter: {}, limit: 50, ...o });

    it('lists the tasks the person acted on, newest first, one line each with their last action', async () => {
      const page = await done();
      expect(page.nextCursor).to.equal(null);
      expect(page.items.map((l) => [l.taskId, l.outcome, l.actedAt])).to.deep.equal([
        [acted[3]!.taskId, 'transferred', minutes(10).toISOString()],
        [acted[2]!.taskId, 'rejected', minutes(6).toISOString()],
        [acted[1]!.taskId, 'approved', minutes(4).toISOString()],
        [acted[0]!.taskId, 'approved', minutes(2).toISOString()],
      ]);
      expect(page.items[3]).to.deep.equal({
        taskId: acted[0]!.taskId,
        node: { key: 'check', name: '审核 check' },
        outcome: 'approved',
        actedAt: minutes(2).toISOString(),
        applicationId: acted[0]!.a.id,
        caseNumber: '2026-CW-200001',
        serviceItem: { id: w.item.id, code: w.item.code, name: w.item.name },
        state: 'in_progress',
      });
      expect(page.items[1]!.state).to.equal('rejected');
      // the delegate's hand-back is theirs
      expect((await done({ person: 'P-DELEGATE' })).items.map((l) => l.outcome)).to.deep.equal(['delegation-resolved']);
      expect((await done({ person: 'P-NOBODY' })).items).to.deep.equal([]);
    });

    it('pages with the cursor it issues, and filters by item, outcome, case number and time range', async () => {
      const all = (await done()).items.map((l) => l.taskId);
      const first = await done({ limit: 3 });
      const second = await done({ limit: 3, cursor: first.nextCursor! });
      expect(second.nextCursor).to.equal(null);
      expect([...first.items, ...second.items].map((l) => l.taskId)).to.deep.equal(all);
      const ids = async (filter: Parameters<HandlerLists['done']>[0]['filter']) =>
        (await done({ filter })).items.map((l) => l.taskId);
      expect(await ids({ itemId: other.item.id })).to.deep.equal([acted[1]!.taskId]);
      expect(await ids({ outcome: 'approved', itemId: w.item.id })).to.deep.equal([acted[0]!.taskId]);
      expect(await ids({ outcome: 'delegated' }), 'a later action replaced it').to.deep.equal([]);
      expect(await ids({ caseNumber: '2026-CW-200005' })).to.deep.equal([acted[2]!.taskId]);
      expect(await ids({ from: minutes(4), to: minutes(10) })).to.deep.equal([acted[2]!.taskId, acted[1]!.taskId]);
    });

    it('lists the applications copied to a person, by the first copy, filtered; the one who copied has none', async () => {
      for (const person of ['P-COPY-A', 'P-COPY-B']) {
        const page = await side.lists.copied({ person, filter: {}, limit: 10 });
        expect(page).to.deep.equal({
          items: [
            {
              applicationId: copiedApp.id,
              caseNumber: '2026-CW-2000011',
              serviceItem: { id: w.item.id, code: w.item.code, name: w.item.name },
              state: 'in_progress',
              applicantId: w.applicant.id,
              copiedAt: minutes(12).toISOString(),
              copiedBy: w.handler.id,
            },
          ],
          nextCursor: null,
        });
        expect((await side.lists.copied({ person, filter: { state: 'completed' }, limit: 10 })).items).to.deep.equal(
          [],
        );
        expect((await side.lists.copied({ person, filter: { itemId: other.item.id }, limit: 10 })).items).to.deep.equal(
          [],
        );
        expect((await side.lists.copied({ person, filter: { from: minutes(13) }, limit: 10 })).items).to.deep.equal([]);
      }
      expect((await side.lists.copied({ person: w.handler.id, filter: {}, limit: 10 })).items).to.deep.equal([]);
    });

    it('counts the done tasks, the copies and the open tasks past due, mine or in my pools', async () => {
      // open now: the copied application's check (the handler's, due in two working days) and the
      // pool's completion steps of the two approved ones (due in eight hours)
      expect(await side.lists.counts({ person: w.handler.id, pools, now: minutes(14) })).to.deep.equal({
        done: 4,
        copied: 0,
        overdue: 0,
      });
      const weekLater = new Date(T0.getTime() + 7 * 86_400_000);
      expect(await side.lists.counts({ person: w.handler.id, pools, now: weekLater })).to.deep.equal({
        done: 4,
        copied: 0,
        overdue: 3,
      });
      expect(await side.lists.counts({ person: w.handler.id, pools: [], now: weekLater })).to.deep.include({
        overdue: 1,
      });
      expect(await side.lists.counts({ person: 'P-COPY-A', pools: [], now: weekLater })).to.deep.equal({
        done: 0,
        copied: 1,
        overdue: 0,
      });
    });
  });
}
