import type { CloudEvent, DataPlatformSink, SinkAnswer } from '../../src/application/ports/data-platform-sink.port.js';
import type {
  OutboxRecord,
  OutboxRelayStore,
  ParkedRecord,
  RelayLease,
  RelayProgress,
  SinkFigures,
} from '../../src/application/ports/outbox-relay.port.js';

type SinkState = {
  throughSeq: number;
  parked: Map<number, { reason: string; parkedAt: Date; retry: boolean }>;
  delivered: number;
  lastError: string | null;
  held: boolean;
};

/**
 * The relay's bookkeeping over a list of committed outbox rows in seq order (the seq-gap handling
 * of the snapshot cursor is PostgreSQL's, tested in the e2e suite): per sink, how far it has
 * delivered and what it parked; a lease is held by one at a time.
 */
export class FakeOutboxRelayStore implements OutboxRelayStore {
  readonly rows: OutboxRecord[] = [];
  readonly sinks = new Map<string, SinkState>();
  readonly commits: RelayProgress[] = [];

  add(aggregate: string, topic = 'application.submitted', payload?: Record<string, unknown>): OutboxRecord {
    const [aggregateType, aggregateId] = aggregate.split('/') as [string, string];
    const seq = this.rows.length + 1;
    const r = {
      seq,
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      topic,
      aggregateType,
      aggregateId,
      payload: payload ?? { n: seq },
      occurredAt: new Date(Date.UTC(2026, 10, 1, 0, seq)),
    };
    this.rows.push(r);
    return r;
  }

  sink(name: string): SinkState {
    let s = this.sinks.get(name);
    if (!s) {
      s = { throughSeq: 0, parked: new Map(), delivered: 0, lastError: null, held: false };
      this.sinks.set(name, s);
    }
    return s;
  }

  async tryLease(name: string): Promise<RelayLease | null> {
    const s = this.sink(name);
    if (s.held) return null;
    s.held = true;
    const key = (r: OutboxRecord) => `${r.aggregateType}/${r.aggregateId}`;
    return {
      sink: name,
      nextBatch: async (limit) => this.rows.filter((r) => r.seq > s.throughSeq).slice(0, limit),
      blockedAggregates: async (keys) =>
        new Set([...s.parked.keys()].map((seq) => key(this.rows[seq - 1]!)).filter((k) => keys.includes(k))),
      retryRequested: async (limit) =>
        [...s.parked]
          .filter(([, p]) => p.retry)
          .sort(([a], [b]) => a - b)
          .slice(0, limit)
          .map(([seq, p]) => ({ ...this.rows[seq - 1]!, reason: p.reason, parkedAt: p.parkedAt })),
      commit: async (p) => {
        this.commits.push(structuredClone(p));
        if (p.throughSeq !== null) s.throughSeq = Math.max(s.throughSeq, p.throughSeq);
        s.delivered += p.delivered;
        if (p.delivered) s.lastError = null;
        for (const { record, reason } of p.parked) {
          if (!s.parked.has(record.seq)) s.parked.set(record.seq, { reason, parkedAt: p.at, retry: false });
        }
        for (const seq of p.unparked) s.parked.delete(seq);
        for (const { seq, reason } of p.stillParked) s.parked.set(seq, { ...s.parked.get(seq)!, reason, retry: false });
      },
      noteFailure: async (reason) => {
        s.lastError = reason;
      },
      release: async () => {
        s.held = false;
      },
    };
  }

  async figures(sinks: string[], now: Date): Promise<SinkFigures[]> {
    return sinks.map((name) => {
      const s = this.sink(name);
      const pending = this.rows.filter((r) => r.seq > s.throughSeq && !s.parked.has(r.seq));
      return {
        sink: name,
        backlog: pending.length,
        lagSeconds: pending.length ? Math.round((now.getTime() - pending[0]!.occurredAt.getTime()) / 1000) : 0,
        parked: s.parked.size,
        delivered: s.delivered,
        lastDeliveredAt: null,
        lastError: s.lastError,
        lastErrorAt: null,
      };
    });
  }

  async parked(sink: string | null): Promise<Array<ParkedRecord & { sink: string }>> {
    return [...this.sinks]
      .filter(([name]) => sink === null || name === sink)
      .flatMap(([name, s]) =>
        [...s.parked].map(([seq, p]) => ({
          ...this.rows[seq - 1]!,
          sink: name,
          reason: p.reason,
          parkedAt: p.parkedAt,
        })),
      );
  }

  async cleanUp(): Promise<number> {
    return 0;
  }
}

/** A sink that answers as the test says (accepted by default) and keeps every batch it was sent. */
export class FakeSink implements DataPlatformSink {
  readonly batches: CloudEvent[][] = [];
  answer: (events: CloudEvent[]) => SinkAnswer = () => ({ kind: 'accepted' });

  constructor(
    readonly name = 'data-platform',
    readonly personalData?: 'mask' | 'omit',
  ) {}

  async deliver(events: CloudEvent[]): Promise<SinkAnswer> {
    this.batches.push(events);
    return this.answer(events);
  }

  /** Events it accepted, in order. */
  accepted(): CloudEvent[] {
    return this.batches.filter((b) => this.answer(b).kind === 'accepted').flat();
  }
}
