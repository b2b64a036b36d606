import { expect } from 'chai';
import { HandlerListsUseCase } from '../../../../src/application/applications/handler-lists.use-case.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother, engineContextFor } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const at = (iso: string) => new Date(iso);

/**
 * The handler approved one application and rejected another; a third waits claimed by them, copied
 * to the auditor; a fourth waits in the finance pool.
 */
function setup() {
  const s = hallWithItem();
  const decided = (outcome: 'approve' | 'reject', when: string) =>
    s.stored((w) => {
      const a = ApplicationMother.submitted(w, { at: at('2026-11-23T02:00:00Z') });
      const t = openTask(a, 'check').id;
      a.claim(t, cast.handler.id, true, at(when));
      const ctx = engineContextFor(w, at(when));
      if (outcome === 'approve') a.approve(t, cast.handler.id, undefined, ctx);
      else a.reject(t, cast.handler.id, '不符', ctx);
      return a;
    });
  const approved = decided('approve', '2026-11-24T01:00:00Z');
  const rejected = decided('reject', '2026-11-24T02:00:00Z');
  const copied = s.stored((w) => {
    const a = ApplicationMother.submitted(w, { at: at('2026-11-24T03:00:00Z') });
    const t = openTask(a, 'check').id;
    a.claim(t, cast.handler.id, true, at('2026-11-24T03:00:00Z'));
    a.copyTo(t, cast.handler.id, [cast.auditor.id], at('2026-11-24T03:30:00Z'));
    return a;
  });
  s.stored((w) => ApplicationMother.submitted(w, { at: at('2026-11-24T04:00:00Z') }));
  return { ...s, approved, rejected, copied, uc: new HandlerListsUseCase({ ...s.hall, lists: s.hall.handlerLists }) };
}

describe('HandlerListsUseCase', () => {
  it("lists the signed-in person's done tasks, newest first, filtered; nobody else's", async () => {
    const { uc, approved, rejected } = setup();
    const mine = value(await uc.done({ actor: ActorMother.of(cast.handler), limit: 10 }));
    expect(mine.items.map((l) => [l.applicationId, l.outcome])).to.deep.equal([
      [rejected.id, 'rejected'],
      [approved.id, 'approved'],
    ]);
    const filtered = value(
      await uc.done({
        actor: ActorMother.of(cast.handler),
        limit: 10,
        outcome: 'approved',
        to: '2026-11-24T01:30:00Z',
      }),
    );
    expect(filtered.items.map((l) => l.applicationId)).to.deep.equal([approved.id]);
    expect(value(await uc.done({ actor: ActorMother.of(cast.colleague), limit: 10 })).items).to.deep.equal([]);
  });

  it('lists what was copied to the person, and only to them', async () => {
    const { uc, copied } = setup();
    const page = value(await uc.copied({ actor: ActorMother.of(cast.auditor), limit: 10, state: 'in_progress' }));
    expect(page.items.map((l) => [l.applicationId, l.copiedBy, l.copiedAt])).to.deep.equal([
      [copied.id, cast.handler.id, '2026-11-24T03:30:00.000Z'],
    ]);
    expect(value(await uc.copied({ actor: ActorMother.of(cast.handler), limit: 10 })).items).to.deep.equal([]);
  });

  it('refuses a time range that runs backwards, naming `to` in the query', async () => {
    const { uc } = setup();
    for (const list of ['done', 'copied'] as const) {
      const e = failure(
        await uc[list]({
          actor: ActorMother.of(cast.handler),
          limit: 10,
          from: '2026-11-24T00:00:00Z',
          to: '2026-11-24T00:00:00Z',
        }),
      ) as InputError;
      expect(e.problems).to.deep.equal([{ in: 'query', path: '/to', message: 'must be after from' }]);
    }
  });

  it('counts to do (with the overdue ones as of the clock, from my pools too), done and copied', async () => {
    const { hall, uc } = setup();
    hall.clock.set('2026-11-24T05:00:00Z');
    expect(value(await uc.counts({ actor: ActorMother.of(cast.handler) }))).to.deep.equal({
      todo: { assigned: 1, claimable: 1, total: 2, overdue: 0 },
      done: 2,
      copied: 0,
    });
    hall.clock.set('2026-12-10T00:00:00Z');
    expect(value(await uc.counts({ actor: ActorMother.of(cast.handler) })).todo).to.deep.equal({
      assigned: 1,
      claimable: 1,
      total: 2,
      overdue: 2,
    });
    expect(value(await uc.counts({ actor: ActorMother.of(cast.auditor) }))).to.deep.equal({
      todo: { assigned: 0, claimable: 0, total: 0, overdue: 0 },
      done: 0,
      copied: 1,
    });
  });
});
