import { expect } from 'chai';
import { InboxUseCase } from '../../../../src/application/applications/inbox.use-case.js';
import { value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

/** Two applications at the review step: one still in the finance pool, one the handler claimed. */
function setup() {
  const s = hallWithItem();
  const pooled = s.stored((w) => ApplicationMother.submitted(w, { at: new Date('2026-11-23T02:00:00Z') }));
  const claimed = s.stored((w) => {
    const a = ApplicationMother.submitted(w, { at: new Date('2026-11-24T02:00:00Z'), caseNumber: '2026-CW-000002' });
    a.claim(openTask(a, 'check').id, cast.handler.id, true, new Date('2026-11-24T03:00:00Z'));
    return a;
  });
  return { ...s, pooled, claimed, uc: new InboxUseCase(s.hall) };
}

describe('InboxUseCase', () => {
  it('lists the tasks assigned to me and those offered to my pools, each saying whether it is overdue now', async () => {
    const { hall, uc, pooled, claimed } = setup();
    hall.clock.set('2026-11-25T16:30:00Z'); // past the pooled task's due time (end of 25 Nov, China), before the claimed one's
    const page = value(await uc.list({ actor: ActorMother.of(cast.handler), limit: 10 }));
    expect(page.items.map((t) => [t.applicationId, t.assignee, t.overdue])).to.deep.equal([
      [pooled.id, null, true],
      [claimed.id, cast.handler.id, false],
    ]);
    expect(page.items[0]).to.deep.include({
      itemName: '差旅费报销',
      nodeKey: 'check',
      candidate: { role: 'handler', unit: 'finance' },
    });
  });

  it("leaves out the tasks others claimed from my pool, and a global role's pseudo-unit", async () => {
    const { hall, uc, pooled } = setup();
    hall.seed.grant(cast.colleague.id, 'auditor', '*');
    const page = value(await uc.list({ actor: ActorMother.of(cast.colleague), limit: 10 }));
    expect(page.items.map((t) => t.applicationId)).to.deep.equal([pooled.id]);
    expect(hall.inbox.askedPools).to.deep.equal([[{ role: 'handler', unit: 'finance' }]]);
  });

  it('pages with the cursor it hands out', async () => {
    const { uc, pooled, claimed } = setup();
    const first = value(await uc.list({ actor: ActorMother.of(cast.handler), limit: 1 }));
    const second = value(await uc.list({ actor: ActorMother.of(cast.handler), limit: 1, cursor: first.nextCursor! }));
    expect([...first.items, ...second.items].map((t) => t.applicationId)).to.deep.equal([pooled.id, claimed.id]);
    expect(second.nextCursor).to.equal(null);
  });

  it('counts the to-do badge: assigned, claimable and both', async () => {
    const { uc } = setup();
    expect(value(await uc.count({ actor: ActorMother.of(cast.handler) }))).to.deep.equal({
      assigned: 1,
      claimable: 1,
      total: 2,
    });
    expect(value(await uc.count({ actor: ActorMother.of(cast.outsider) }))).to.deep.equal({
      assigned: 0,
      claimable: 0,
      total: 0,
    });
  });
});
