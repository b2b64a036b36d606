import { expect } from 'chai';
import { OutboxUseCase } from '../../../../src/application/outbox/outbox.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { FakeOutboxRelayStore } from '../../../fakes/fake-outbox-relay.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const it_ = ActorMother.of(cast.itOffice);

function setup() {
  const hall = hallWithCast();
  const relayStore = new FakeOutboxRelayStore();
  hall.clock.set('2026-11-01T01:00:00Z');
  return { hall, relayStore, uc: new OutboxUseCase({ ...hall, relayStore, sinks: ['data-platform'] }) };
}

describe('OutboxUseCase', () => {
  it('shows the IT Office each sink: backlog, lag as of now, and the parked events without their data', async () => {
    const { relayStore, uc } = setup();
    relayStore.add('application/a');
    relayStore.add('application/b');
    relayStore.sink('data-platform').parked.set(2, { reason: 'refused', parkedAt: new Date(), retry: false });
    const status = value(await uc.status(it_));
    expect(status.sinks.map((s) => [s.sink, s.backlog, s.lagSeconds, s.parked])).to.deep.equal([
      ['data-platform', 1, 3540, 1],
    ]);
    expect(status.parked.map((p) => [p.sink, p.seq, p.reason])).to.deep.equal([['data-platform', 2, 'refused']]);
    expect(status.parked[0]).not.to.have.property('payload');
  });

  it('asks for parked events to be sent again and replays a sink since a time, each audited with the operator', async () => {
    const { hall, uc } = setup();
    expect(value(await uc.retry(it_, 'data-platform'))).to.deep.equal({ retried: 1 });
    expect(value(await uc.replay(it_, { sink: 'data-platform', since: '2026-10-01T00:00:00Z' }))).to.deep.equal({
      events: 1,
    });
    expect(hall.db.state.outboxSinkChanges).to.deep.equal([
      { kind: 'retry', sink: 'data-platform', at: hall.clock.now() },
      { kind: 'rewind', sink: 'data-platform', since: new Date('2026-10-01T00:00:00Z') },
    ]);
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.actorId, e.after])).to.deep.equal([
      ['outbox.parked-retried', 'outbox-sink', 'data-platform', cast.itOffice.id, { retried: 1 }],
      [
        'outbox.replayed',
        'outbox-sink',
        'data-platform',
        cast.itOffice.id,
        { since: '2026-10-01T00:00:00.000Z', events: 1 },
      ],
    ]);
  });

  it('refuses an unknown sink, a since that is not a time, and anyone but the IT Office, changing nothing', async () => {
    const { hall, uc } = setup();
    expect(failure(await uc.retry(it_, 'broker')).code).to.equal('OUTBOX.UNKNOWN_SINK');
    expect(failure(await uc.replay(it_, { sink: 'data-platform', since: 'last week' })).code).to.equal(
      'OUTBOX.BAD_SINCE',
    );
    expect(failure(await uc.replay(it_, { sink: 'data-platform', since: '2026-13-45' })).code).to.equal(
      'OUTBOX.BAD_SINCE',
    );
    expect(failure(await uc.retry(ActorMother.of(cast.admin), null)).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.status(ActorMother.of(cast.auditor))).code).to.equal('AUTH.FORBIDDEN');
    expect([hall.db.state.outboxSinkChanges.length, hall.audit.length]).to.deep.equal([0, 0]);
  });
});
