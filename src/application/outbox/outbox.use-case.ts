import { InputError, type NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { OutboxRelayStore, ParkedRecord, SinkFigures } from '../ports/outbox-relay.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { authorize } from '../shared/authorize.js';
import { recordChange } from '../shared/record-change.js';

export interface OutboxStatus {
  sinks: SinkFigures[];
  parked: Array<Omit<ParkedRecord, 'payload'> & { sink: string }>;
}

/**
 * The IT Office's view of the outbox relay (`hall outbox`): per sink its backlog, its lag and what
 * it parked; parked events sent again, and a sink's history sent again from a time (a platform
 * that lost data), each audited with the operator. The background jobs' permission covers it.
 */
export class OutboxUseCase {
  constructor(
    private readonly deps: {
      relayStore: OutboxRelayStore;
      enforcer: PolicyEnforcer;
      clock: Clock;
      uow: UnitOfWork;
      /** The configured sinks' names. */
      sinks: string[];
    },
  ) {}

  async status(actor: Actor): Promise<Result<OutboxStatus, NotAllowedError>> {
    const allowed = await this.allowed(actor);
    if (!allowed.ok) return allowed;
    const sinks = await this.deps.relayStore.figures(this.deps.sinks, this.deps.clock.now());
    const parked = (await this.deps.relayStore.parked(null)).map(({ payload: _, ...p }) => p);
    return ok({ sinks, parked });
  }

  /** Parked events of a sink (or of every sink) go to the relay again, in order, at its next step. */
  async retry(actor: Actor, sink: string | null): Promise<Result<{ retried: number }, NotAllowedError | InputError>> {
    const allowed = await this.allowed(actor);
    if (!allowed.ok) return allowed;
    if (sink !== null) {
      const known = this.knownSink(sink);
      if (!known.ok) return known;
    }
    const at = this.deps.clock.now();
    const retried = await this.deps.uow.run(async (scope) => {
      const n = await scope.outboxSinks.requestRetry(sink, at);
      await recordChange(scope, {
        actor,
        action: 'outbox.parked-retried',
        entityType: 'outbox-sink',
        entityId: sink ?? '*',
        unit: null,
        before: null,
        after: { retried: n },
        at,
      });
      return n;
    });
    return ok({ retried });
  }

  /** The sink's cursor goes back so every event since `since` is sent again (the receiver de-duplicates). */
  async replay(
    actor: Actor,
    input: { sink: string; since: string },
  ): Promise<Result<{ events: number }, NotAllowedError | InputError>> {
    const allowed = await this.allowed(actor);
    if (!allowed.ok) return allowed;
    const known = this.knownSink(input.sink);
    if (!known.ok) return known;
    const since = new Date(input.since);
    if (!/^\d{4}-\d{2}-\d{2}/.test(input.since) || Number.isNaN(since.getTime())) {
      return err(
        new InputError('OUTBOX.BAD_SINCE', `'${input.since}' is not a time`, [
          { path: '/since', message: 'must be an ISO 8601 date or date-time' },
        ]),
      );
    }
    const at = this.deps.clock.now();
    const events = await this.deps.uow.run(async (scope) => {
      const n = await scope.outboxSinks.rewind(input.sink, since);
      await recordChange(scope, {
        actor,
        action: 'outbox.replayed',
        entityType: 'outbox-sink',
        entityId: input.sink,
        unit: null,
        before: null,
        after: { since: since.toISOString(), events: n },
        at,
      });
      return n;
    });
    return ok({ events });
  }

  private allowed(actor: Actor) {
    return authorize(this.deps.enforcer, actor, { unit: ALL_UNITS, object: 'jobs', action: 'manage' });
  }

  private knownSink(sink: string): Result<true, InputError> {
    if (this.deps.sinks.includes(sink)) return ok(true);
    return err(
      new InputError('OUTBOX.UNKNOWN_SINK', `no sink '${sink}' is configured`, [
        {
          path: '/sink',
          message: this.deps.sinks.length ? `must be one of ${this.deps.sinks.join(', ')}` : 'no sink is configured',
        },
      ]),
    );
  }
}
