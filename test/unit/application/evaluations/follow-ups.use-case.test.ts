import { expect } from 'chai';
import { FollowUpsUseCase } from '../../../../src/application/evaluations/follow-ups.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { FollowUpMother } from '../../../mothers/evaluation.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

/** Follow-ups of finance (one open, one resolved) and one of academic affairs. */
function setup() {
  const hall = hallWithCast();
  const open = FollowUpMother.create({ applicationId: 'a-1', itemId: 'i-1', dueAt: new Date('2026-12-10T00:00:00Z') });
  const resolved = FollowUpMother.create({
    applicationId: 'a-2',
    itemId: 'i-1',
    status: 'resolved',
    dueAt: new Date('2026-12-01T00:00:00Z'),
  });
  const theirs = FollowUpMother.create({
    applicationId: 'a-3',
    itemId: 'i-2',
    owningUnit: 'academic-affairs',
    dueAt: new Date('2026-12-05T00:00:00Z'),
  });
  for (const f of [open, resolved, theirs]) hall.seed.followUp(f);
  return { hall, open, resolved, theirs, uc: new FollowUpsUseCase(hall) };
}

const ids = async (uc: FollowUpsUseCase, who: { id: string }, status?: 'open') =>
  value(await uc.list({ actor: ActorMother.of(who.id), status, limit: 10 })).items.map((f) => f.id);

describe('FollowUpsUseCase (整改)', () => {
  it("lists a unit's service admins their unit's follow-ups, the offices all of them, by due date; others none", async () => {
    const { uc, open, resolved, theirs } = setup();
    expect(await ids(uc, cast.admin)).to.deep.equal([resolved.id, open.id]);
    expect(await ids(uc, cast.admin, 'open')).to.deep.equal([open.id]);
    expect(await ids(uc, cast.presidentOffice)).to.deep.equal([resolved.id, theirs.id, open.id]);
    expect(await ids(uc, cast.handler)).to.deep.equal([]);
  });

  it("lets the owning unit's service admin resolve an open follow-up, audited", async () => {
    const { hall, uc, open } = setup();
    const view = value(
      await uc.resolve({ actor: ActorMother.of(cast.admin), followUpId: open.id, resolution: '已约谈经办人' }),
    );
    expect(view).to.deep.include({
      status: 'resolved',
      resolution: '已约谈经办人',
      closedBy: cast.admin.id,
      closedAt: hall.clock.now().toISOString(),
    });
    expect(hall.db.state.followUps.get(open.id)).to.deep.include({ status: 'resolved', closedBy: cast.admin.id });
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.unit])).to.deep.equal([
      ['follow-up.resolved', 'follow-up', open.id, 'finance'],
    ]);
    expect(hall.outbox[0]!.payload).to.deep.equal({ actor: cast.admin.id, applicationId: 'a-1' });
  });

  it('refuses anyone else (the offices included), a closed follow-up and an unknown one, changing nothing', async () => {
    const { hall, uc, open, resolved, theirs } = setup();
    const before = hall.db.dump();
    expect(
      failure(await uc.resolve({ actor: ActorMother.of(cast.presidentOffice), followUpId: open.id, resolution: 'x' }))
        .code,
    ).to.equal('FOLLOW_UP.NOT_UNIT_ADMIN');
    expect(
      failure(await uc.resolve({ actor: ActorMother.of(cast.admin), followUpId: theirs.id, resolution: 'x' })).code,
    ).to.equal('FOLLOW_UP.NOT_UNIT_ADMIN');
    expect(
      failure(await uc.resolve({ actor: ActorMother.of(cast.admin), followUpId: resolved.id, resolution: 'x' })).code,
    ).to.equal('FOLLOW_UP.NOT_OPEN');
    expect(
      failure(await uc.resolve({ actor: ActorMother.of(cast.admin), followUpId: 'unknown', resolution: 'x' })).code,
    ).to.equal('FOLLOW_UP.NOT_FOUND');
    expect(hall.db.dump()).to.deep.equal(before);
  });
});
