import { expect } from 'chai';
import type { OutboxRecord, OutboxRelayStore, RelayProgress } from '../../src/application/ports/outbox-relay.port.js';

/** One side of the contract: a store, and how the test writes committed outbox rows and asks for a retry. */
export interface OutboxRelaySide {
  store: OutboxRelayStore;
  /** Commits one outbox event of `aggregate` (`type/id`); returns it as the relay reads it. */
  add(aggregate: string): Promise<OutboxRecord>;
  requestRetry(sink: string): Promise<void>;
  close(): Promise<void>;
}

const at = new Date('2026-11-30T00:00:00Z');
const progress = (o: Partial<RelayProgress>): RelayProgress => ({
  throughSeq: null,
  delivered: 0,
  parked: [],
  unparked: [],
  stillParked: [],
  at,
  ...o,
});

/** The OutboxRelayStore port as the relay relies on it, run on the fake and on PostgreSQL. */
export function outboxRelayStoreContract(name: string, make: () => Promise<OutboxRelaySide>): void {
  describe(`OutboxRelayStore contract: ${name}`, () => {
    let side: OutboxRelaySide;
    beforeEach(async () => {
      side = await make();
    });
    afterEach(async () => {
      await side.close();
    });

    it('one lease per sink at a time; a released lease can be taken again; sinks are apart', async () => {
      const a = await side.store.tryLease('s1');
      expect(a).not.to.equal(null);
      expect(await side.store.tryLease('s1')).to.equal(null);
      const b = await side.store.tryLease('s2');
      expect(b).not.to.equal(null);
      await a!.release();
      const again = await side.store.tryLease('s1');
      expect(again).not.to.equal(null);
      await again!.release();
      await b!.release();
    });

    it('hands out the events in seq order, a batch at a time; only a commit moves the cursor, for the next holder too', async () => {
      const rows = [];
      for (const a of ['application/a', 'person/p', 'application/a', 'service-item/s']) rows.push(await side.add(a));
      const lease = (await side.store.tryLease('s1'))!;
      const first = await lease.nextBatch(3);
      expect(first.map((r) => r.id)).to.deep.equal(rows.slice(0, 3).map((r) => r.id));
      expect(first[0]).to.deep.include({
        aggregateType: 'application',
        aggregateId: 'a',
        topic: 'application.updated',
      });
      expect(await lease.nextBatch(3), 'read again until committed').to.deep.equal(first);
      await lease.commit(progress({ throughSeq: first[1]!.seq, delivered: 2 }));
      expect((await lease.nextBatch(3)).map((r) => r.id)).to.deep.equal(rows.slice(2).map((r) => r.id));
      await lease.release();
      const next = (await side.store.tryLease('s1'))!;
      expect(
        (await next.nextBatch(10)).map((r) => r.id),
        'the next holder resumes at the cursor',
      ).to.deep.equal(rows.slice(2).map((r) => r.id));
      await next.commit(progress({ throughSeq: rows[3]!.seq, delivered: 2 }));
      expect(await next.nextBatch(10)).to.deep.equal([]);
      const later = await side.add('person/p');
      expect((await next.nextBatch(10)).map((r) => r.id)).to.deep.equal([later.id]);
      const [figures] = await side.store.figures(['s1'], at);
      expect(figures).to.include({ sink: 's1', backlog: 1, parked: 0, delivered: 4, lastError: null });
      await next.release();
    });

    it('parks events with their reason, blocks their aggregate, hands them back when an operator asks, and keeps a failure for status', async () => {
      const a1 = await side.add('application/a');
      await side.add('application/b');
      const a2 = await side.add('application/a');
      const lease = (await side.store.tryLease('s1'))!;
      await lease.nextBatch(10);
      await lease.commit(
        progress({
          throughSeq: a2.seq,
          delivered: 1,
          parked: [
            { record: a1, reason: 'answered 400' },
            { record: a2, reason: 'waiting behind a parked event of application/a' },
          ],
        }),
      );
      expect([...(await lease.blockedAggregates(['application/a', 'application/b']))]).to.deep.equal(['application/a']);
      expect((await side.store.parked('s1')).map((p) => [p.id, p.reason, p.sink])).to.deep.equal([
        [a1.id, 'answered 400', 's1'],
        [a2.id, 'waiting behind a parked event of application/a', 's1'],
      ]);
      expect(await side.store.parked('s2')).to.deep.equal([]);
      expect(await lease.retryRequested(10)).to.deep.equal([]);
      await side.requestRetry('s1');
      expect((await lease.retryRequested(10)).map((r) => [r.id, r.reason])).to.deep.equal([
        [a1.id, 'answered 400'],
        [a2.id, 'waiting behind a parked event of application/a'],
      ]);
      await lease.commit(progress({ unparked: [a1.seq], delivered: 1, stillParked: [{ seq: a2.seq, reason: 'no' }] }));
      expect((await side.store.parked('s1')).map((p) => [p.id, p.reason])).to.deep.equal([[a2.id, 'no']]);
      expect(await lease.retryRequested(10)).to.deep.equal([]);
      await lease.noteFailure('answered 503', at);
      const [figures] = await side.store.figures(['s1'], at);
      expect(figures).to.include({ backlog: 0, parked: 1, delivered: 2, lastError: 'answered 503' });
      await lease.release();
    });
  });
}
