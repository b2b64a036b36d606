import { expect } from 'chai';
import { RelayOutboxUseCase } from '../../../../src/application/outbox/relay-outbox.use-case.js';
import type { RelayLease } from '../../../../src/application/ports/outbox-relay.port.js';
import { FakeOutboxRelayStore, FakeSink } from '../../../fakes/fake-outbox-relay.js';
import { hallWithCast } from '../hall.scenario.js';

function setup(batchSize = 3) {
  const hall = hallWithCast();
  const relayStore = new FakeOutboxRelayStore();
  const sink = new FakeSink();
  const delivered: Array<{ sink: string; events: number }> = [];
  const uc = new RelayOutboxUseCase({
    relayStore,
    uow: hall.uow,
    metrics: { outboxDelivered: (o) => delivered.push(o) },
    sinks: [sink],
    clock: hall.clock,
    publicUrl: 'https://hall.example.edu.cn',
    batchSize,
    retentionDays: 30,
  });
  return { hall, relayStore, sink, uc, delivered };
}

async function pumpUntilIdle(uc: RelayOutboxUseCase, lease: RelayLease, max = 20) {
  for (let i = 0; i < max; i++) if ((await uc.pump(lease)).kind === 'idle') return;
  throw new Error('never idle');
}

describe('RelayOutboxUseCase', () => {
  it('sends the events in batches as CloudEvents with the row id, and moves the cursor after each accepted batch', async () => {
    const { relayStore, sink, uc, delivered } = setup();
    for (const a of ['application/a', 'person/p', 'application/a', 'service-item/s', 'application/a'])
      relayStore.add(a);
    const lease = (await uc.lease('data-platform'))!;
    expect(await uc.lease('data-platform'), 'one relay per sink').to.equal(null);
    expect(await uc.pump(lease)).to.deep.equal({ kind: 'progress', delivered: 3, parked: 0 });
    expect(relayStore.sink('data-platform').throughSeq).to.equal(3);
    await pumpUntilIdle(uc, lease);
    expect(sink.batches.map((b) => b.map((e) => Number(e.sequence)))).to.deep.equal([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(sink.batches[0]![0]).to.deep.equal({
      specversion: '1.0',
      id: relayStore.rows[0]!.id,
      source: 'urn:service-hall:hall.example.edu.cn',
      type: 'cn.edu.hall.application.submitted',
      subject: 'application/a',
      time: '2026-11-01T00:01:00.000Z',
      datacontenttype: 'application/json',
      sequence: '1',
      data: { n: 1 },
    });
    expect(delivered).to.deep.equal([
      { sink: 'data-platform', events: 3 },
      { sink: 'data-platform', events: 2 },
    ]);
  });

  it("masks or leaves out a completed form's personal fields as each sink is configured; other fields go as they are", async () => {
    const hall = hallWithCast();
    const relayStore = new FakeOutboxRelayStore();
    const masked = new FakeSink('statistics', 'mask');
    const omitted = new FakeSink('archive', 'omit');
    const unsaid = new FakeSink('warehouse');
    const uc = new RelayOutboxUseCase({
      relayStore,
      uow: hall.uow,
      metrics: { outboxDelivered: () => {} },
      sinks: [masked, omitted, unsaid],
      clock: hall.clock,
      publicUrl: 'https://hall.example.edu.cn',
      batchSize: 10,
      retentionDays: 30,
    });
    const form = { amount: 1280.5, bank_account: '6222020200113445', contacts: [{ phone: '13812345678' }] };
    const personalFields = ['/bank_account', '/contacts/*/phone'];
    relayStore.add('application/a', 'application.completed', {
      actor: 'T0302',
      caseNumber: 'C-1',
      form,
      personalFields,
    });
    // a form whose personal fields are not named: all of it counts as personal
    relayStore.add('application/b', 'application.completed', { actor: 'T0302', form: { note: 'x', id_no: '110101' } });
    for (const sink of ['statistics', 'archive', 'warehouse']) await pumpUntilIdle(uc, (await uc.lease(sink))!);
    const data = (s: FakeSink) => s.accepted().map((e) => e.data);
    expect(data(masked)).to.deep.equal([
      {
        actor: 'T0302',
        caseNumber: 'C-1',
        form: { amount: 1280.5, bank_account: '6222********3445', contacts: [{ phone: '13*******78' }] },
        personalFields,
      },
      { actor: 'T0302', form: { note: '****', id_no: '1****1' } },
    ]);
    const left = [
      { actor: 'T0302', caseNumber: 'C-1', form: { amount: 1280.5, contacts: [{}] }, personalFields },
      { actor: 'T0302', form: {} },
    ];
    expect(data(omitted)).to.deep.equal(left);
    expect(data(unsaid), 'a sink that says nothing: left out').to.deep.equal(left);
    expect(relayStore.rows[0]!.payload, 'the outbox row itself is unchanged').to.deep.include({ form });
  });

  it('a sink that is down gets the same batch again later; nothing moves and nothing is parked', async () => {
    const { relayStore, sink, uc } = setup();
    for (const a of ['person/p', 'person/q']) relayStore.add(a);
    const lease = (await uc.lease('data-platform'))!;
    sink.answer = () => ({ kind: 'transient', reason: 'data-platform answered 503: maintenance' });
    expect(await uc.pump(lease)).to.deep.equal({ kind: 'failed', reason: 'data-platform answered 503: maintenance' });
    expect(await uc.pump(lease)).to.include({ kind: 'failed' });
    expect(relayStore.sink('data-platform')).to.include({
      throughSeq: 0,
      lastError: 'data-platform answered 503: maintenance',
    });
    sink.answer = () => ({ kind: 'accepted' });
    await pumpUntilIdle(uc, lease);
    expect(sink.batches.map((b) => b.map((e) => e.sequence))).to.deep.equal([
      ['1', '2'],
      ['1', '2'],
      ['1', '2'],
    ]);
    expect(relayStore.sink('data-platform')).to.include({ throughSeq: 2, lastError: null });
    expect(relayStore.sink('data-platform').parked.size).to.equal(0);
  });

  it('a refused batch goes one event at a time: the refused event is parked, audited, and holds back only its aggregate', async () => {
    const { hall, relayStore, sink, uc } = setup(10);
    for (const a of ['application/a', 'application/b', 'application/a', 'application/b', 'application/a'])
      relayStore.add(a);
    const poison = relayStore.rows[2]!.id;
    sink.answer = (events) =>
      events.some((e) => e.id === poison) ? { kind: 'rejected', reason: 'answered 400: bad' } : { kind: 'accepted' };
    const lease = (await uc.lease('data-platform'))!;
    expect(await uc.pump(lease)).to.deep.equal({ kind: 'progress', delivered: 3, parked: 2 });
    expect(sink.accepted().map((e) => e.sequence)).to.deep.equal(['1', '2', '4']);
    const parked = await relayStore.parked('data-platform');
    expect(parked.map((p) => [p.seq, p.reason])).to.deep.equal([
      [3, 'answered 400: bad'],
      [5, 'waiting behind a parked event of application/a'],
    ]);
    expect(hall.audit.map((e) => [e.action, e.entityId, e.actorId])).to.deep.equal([
      ['outbox.event-parked', poison, 'system'],
    ]);
    // a later event of the blocked aggregate waits too; others go on
    relayStore.add('application/a');
    relayStore.add('application/b');
    await pumpUntilIdle(uc, lease);
    expect(sink.accepted().map((e) => e.sequence)).to.deep.equal(['1', '2', '4', '7']);
    expect((await relayStore.parked('data-platform')).map((p) => p.seq)).to.deep.equal([3, 5, 6]);
  });

  it('parked events asked for again go in order; one refused again keeps the rest of its aggregate back', async () => {
    const { relayStore, sink, uc } = setup(10);
    for (const a of ['person/p', 'person/p', 'person/q', 'person/q']) relayStore.add(a);
    const refused = new Set([relayStore.rows[0]!.id, relayStore.rows[2]!.id]);
    sink.answer = (events) =>
      events.some((e) => refused.has(e.id)) ? { kind: 'rejected', reason: 'no' } : { kind: 'accepted' };
    const lease = (await uc.lease('data-platform'))!;
    await pumpUntilIdle(uc, lease);
    expect((await relayStore.parked(null)).map((p) => p.seq)).to.deep.equal([1, 2, 3, 4]);
    refused.delete(relayStore.rows[0]!.id);
    for (const p of relayStore.sink('data-platform').parked.values()) p.retry = true;
    sink.batches.length = 0;
    expect(await uc.pump(lease)).to.deep.equal({ kind: 'progress', delivered: 2, parked: 2 });
    expect(sink.accepted().map((e) => e.sequence)).to.deep.equal(['1', '2']);
    expect(
      sink.batches.map((b) => b.map((e) => e.sequence)),
      'q/4 is not tried after q/3 is refused',
    ).to.deep.equal([['1'], ['2'], ['3']]);
    const left = await relayStore.parked(null);
    expect(left.map((p) => [p.seq, p.reason])).to.deep.equal([
      [3, 'no'],
      [4, 'waiting behind a parked event of person/q'],
    ]);
    expect(await uc.pump(lease), 'no retry asked any more').to.deep.equal({ kind: 'idle' });
  });
});
