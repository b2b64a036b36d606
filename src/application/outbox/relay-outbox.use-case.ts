import { withPersonalData, type PersonalDataHandling } from '../../domain/application/personal-data.js';
import type { Clock } from '../ports/clock.port.js';
import type { CloudEvent, DataPlatformSink, SinkAnswer } from '../ports/data-platform-sink.port.js';
import type { Actor } from '../ports/actor.js';
import type { Metrics } from '../ports/metrics.port.js';
import type { OutboxRecord, OutboxRelayStore, RelayLease, RelayProgress } from '../ports/outbox-relay.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';

const RELAY: Actor = { personId: 'system', requestId: 'outbox-relay' };

/** What one step of a sink's relay came to: the runner waits (idle), backs off (failed) or goes on. */
export type PumpOutcome =
  { kind: 'idle' } | { kind: 'progress'; delivered: number; parked: number } | { kind: 'failed'; reason: string };

const keyOf = (r: OutboxRecord) => `${r.aggregateType}/${r.aggregateId}`;
const BEHIND = 'waiting behind a parked event of ';
const behind = (r: OutboxRecord) => `${BEHIND}${keyOf(r)}`;

/**
 * The CloudEvent of an outbox row: its id is the row's, so every re-send carries the same one. A
 * form it carries has its personal fields (`personalFields`) masked or left out, as the sink is
 * configured: they never leave the hall in clear.
 */
export function toCloudEvent(r: OutboxRecord, source: string, personalData: PersonalDataHandling = 'omit'): CloudEvent {
  return {
    specversion: '1.0',
    id: r.id,
    source,
    type: `cn.edu.hall.${r.topic}`,
    subject: keyOf(r),
    time: r.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    sequence: String(r.seq),
    data: withoutPersonalData(r.payload, personalData),
  };
}

function withoutPersonalData(
  payload: Record<string, unknown>,
  handling: PersonalDataHandling,
): Record<string, unknown> {
  const { form, personalFields } = payload;
  if (typeof form !== 'object' || form === null) return payload;
  // a form whose personal fields are not named goes nowhere: every field of it counts as personal
  const paths = Array.isArray(personalFields) ? personalFields.filter((p) => typeof p === 'string') : ['/*'];
  return { ...payload, form: withPersonalData(form as Record<string, unknown>, paths, handling) };
}

/**
 * Delivers the outbox to each configured sink: at least once, in order per aggregate (application,
 * service item, person). The job worker runs one relay per sink across all instances (the lease);
 * each step reads the next batch after the sink's committed cursor, sends it, and commits the
 * cursor only after the sink accepted, so a relay that dies mid-batch leaves the batch to be sent
 * again by whoever takes the lease next (the receiver de-duplicates on the CloudEvent id).
 *
 * A batch the sink refuses as such (4xx) is sent again one event at a time: the events it takes
 * go, the one it refuses is parked with its reason, and so is every later event of the same
 * aggregate for that sink (order per aggregate) until an operator has it sent again (`hall outbox
 * retry`); other aggregates go on. A sink that is down (transient) gets the same batch again after
 * the runner's back-off: nothing is parked for being down.
 */
export class RelayOutboxUseCase {
  private readonly source: string;

  constructor(
    private readonly deps: {
      relayStore: OutboxRelayStore;
      uow: UnitOfWork;
      metrics: Pick<Metrics, 'outboxDelivered'>;
      sinks: DataPlatformSink[];
      clock: Clock;
      publicUrl: string;
      batchSize: number;
      retentionDays: number;
    },
  ) {
    this.source = `urn:service-hall:${new URL(deps.publicUrl).host}`;
  }

  /** The configured sinks' names: one relay each. */
  sinks(): string[] {
    return this.deps.sinks.map((s) => s.name);
  }

  /** The sink's lease, or null while another relay (this or another instance) holds it. */
  lease(sink: string): Promise<RelayLease | null> {
    return this.deps.relayStore.tryLease(sink);
  }

  /** One step: the events an operator asked to send again, else the next batch. */
  async pump(lease: RelayLease): Promise<PumpOutcome> {
    const sink = this.deps.sinks.find((s) => s.name === lease.sink);
    if (!sink) throw new Error(`no sink '${lease.sink}' is configured`);
    const retries = await lease.retryRequested(this.deps.batchSize);
    if (retries.length) return this.retry(lease, sink, retries);
    const batch = await lease.nextBatch(this.deps.batchSize);
    if (!batch.length) return { kind: 'idle' };

    const blocked = await lease.blockedAggregates([...new Set(batch.map(keyOf))]);
    const send = batch.filter((r) => !blocked.has(keyOf(r)));
    const answer: SinkAnswer = send.length
      ? await sink.deliver(send.map((r) => toCloudEvent(r, this.source, sink.personalData)))
      : { kind: 'accepted' };
    if (answer.kind === 'transient') return this.failed(lease, answer.reason);
    if (answer.kind === 'accepted') {
      const progress = this.progress();
      for (const r of batch) {
        if (blocked.has(keyOf(r))) progress.parked.push({ record: r, reason: behind(r) });
      }
      progress.delivered = send.length;
      progress.throughSeq = batch.at(-1)!.seq;
      await this.commit(lease, progress);
      return { kind: 'progress', delivered: progress.delivered, parked: progress.parked.length };
    }
    // refused as a batch: one at a time, in order, to find the event the sink refuses; each event's
    // outcome is committed before the next is sent (the lease's connection never idles long)
    const done = { delivered: 0, parked: 0 };
    for (const r of batch) {
      const step = this.progress();
      if (blocked.has(keyOf(r))) {
        step.parked.push({ record: r, reason: behind(r) });
      } else {
        const one = send.length === 1 ? answer : await sink.deliver([toCloudEvent(r, this.source, sink.personalData)]);
        if (one.kind === 'transient') return this.failed(lease, one.reason);
        if (one.kind === 'accepted') step.delivered++;
        else {
          step.parked.push({ record: r, reason: one.reason });
          blocked.add(keyOf(r));
        }
      }
      step.throughSeq = r.seq;
      await this.commit(lease, step);
      done.delivered += step.delivered;
      done.parked += step.parked.length;
    }
    return { kind: 'progress', ...done };
  }

  /** Deletes outbox rows every sink has and that are older than the retention; returns how many. */
  cleanUp(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - this.deps.retentionDays * 86_400_000);
    return this.deps.relayStore.cleanUp(before, this.sinks());
  }

  private async retry(
    lease: RelayLease,
    sink: DataPlatformSink,
    parked: Array<OutboxRecord & { reason: string }>,
  ): Promise<PumpOutcome> {
    const refused = new Set<string>();
    const done = { delivered: 0, parked: 0 };
    for (const r of parked) {
      const step = this.progress();
      if (refused.has(keyOf(r))) {
        step.stillParked.push({ seq: r.seq, reason: r.reason });
      } else {
        const answer = await sink.deliver([toCloudEvent(r, this.source, sink.personalData)]);
        if (answer.kind === 'transient') return this.failed(lease, answer.reason);
        if (answer.kind === 'accepted') {
          step.unparked.push(r.seq);
          step.delivered++;
        } else {
          step.stillParked.push({ seq: r.seq, reason: answer.reason });
          refused.add(keyOf(r));
        }
      }
      // each outcome committed before the next event goes
      await this.commit(lease, step);
      done.delivered += step.delivered;
      done.parked += step.stillParked.length;
    }
    return { kind: 'progress', ...done };
  }

  /**
   * The cursor moves on the lease's connection; then each event parked for being refused gets its
   * audit entry (the entry alone: an outbox event about a parked event could itself be refused and
   * parked, without end). Parked only for waiting behind another is not audited: it is the same
   * fault, and `hall outbox status` lists it.
   */
  private async commit(lease: RelayLease, progress: RelayProgress): Promise<void> {
    await lease.commit(progress);
    if (progress.delivered) this.deps.metrics.outboxDelivered({ sink: lease.sink, events: progress.delivered });
    const refused = progress.parked.filter((p) => !p.reason.startsWith(BEHIND));
    if (!refused.length) return;
    await this.deps.uow.run(async (scope) => {
      for (const { record: r, reason } of refused) {
        await scope.audit.record({
          actorId: RELAY.personId,
          action: 'outbox.event-parked',
          entityType: 'outbox-event',
          entityId: r.id,
          unit: null,
          before: null,
          after: { sink: lease.sink, seq: r.seq, topic: r.topic, subject: keyOf(r), reason },
          requestId: RELAY.requestId,
          at: progress.at,
        });
      }
    });
  }

  private progress(): RelayProgress {
    return { throughSeq: null, delivered: 0, parked: [], unparked: [], stillParked: [], at: this.deps.clock.now() };
  }

  private async failed(lease: RelayLease, reason: string): Promise<PumpOutcome> {
    await lease.noteFailure(reason, this.deps.clock.now());
    return { kind: 'failed', reason };
  }
}
