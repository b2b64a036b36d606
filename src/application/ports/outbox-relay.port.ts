/** One outbox row as the relay reads it. */
export interface OutboxRecord {
  seq: number;
  id: string;
  topic: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export interface ParkedRecord extends OutboxRecord {
  reason: string;
  parkedAt: Date;
}

/**
 * What the relay did with a batch, written in one transaction on the lease's own connection: the
 * cursor moves past `throughSeq` (null: it stays), `parked` are kept back with their reason,
 * `unparked` (seqs) went out after a retry, `stillParked` were tried again and refused again.
 */
export interface RelayProgress {
  throughSeq: number | null;
  delivered: number;
  parked: Array<{ record: OutboxRecord; reason: string }>;
  unparked: number[];
  stillParked: Array<{ seq: number; reason: string }>;
  at: Date;
}

/**
 * The one relay of a sink across every instance of the hall holds its lease; everything it reads
 * and writes of the sink's cursor goes through the lease, so a relay that lost it (its connection
 * gone) cannot move the cursor any more.
 */
export interface RelayLease {
  readonly sink: string;
  /** The next events for the sink, in order (at most `limit`); empty when it has caught up. */
  nextBatch(limit: number): Promise<OutboxRecord[]>;
  /** Of these aggregates (`type/id`), those with an event parked for the sink. */
  blockedAggregates(keys: string[]): Promise<Set<string>>;
  /** Parked events an operator asked to send again, in seq order. */
  retryRequested(limit: number): Promise<ParkedRecord[]>;
  commit(progress: RelayProgress): Promise<void>;
  /** A transient failure, kept for `hall outbox status`. */
  noteFailure(reason: string, at: Date): Promise<void>;
  release(): Promise<void>;
}

export interface SinkFigures {
  sink: string;
  /** Events not yet delivered to the sink (parked ones not counted). */
  backlog: number;
  /** Age of the oldest event not yet delivered, in seconds; 0 when caught up. */
  lagSeconds: number;
  parked: number;
  delivered: number;
  lastDeliveredAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export interface OutboxRelayStore {
  /** The sink's lease if no other relay (of any instance) holds it, else null. */
  tryLease(sink: string): Promise<RelayLease | null>;
  /** Per sink known to the relay. */
  figures(sinks: string[], now: Date): Promise<SinkFigures[]>;
  /** Every parked event of a sink (or of all sinks). */
  parked(sink: string | null): Promise<Array<ParkedRecord & { sink: string }>>;
  /**
   * Deletes outbox rows older than `before` that every sink (those named and those the relay has
   * known) has delivered and none holds parked; returns how many.
   */
  cleanUp(before: Date, sinks: string[]): Promise<number>;
}

/** An operator's changes to a sink's bookkeeping, inside the unit of work's transaction. */
export interface OutboxSinkAdmin {
  /** Marks parked events to be sent again; returns how many. */
  requestRetry(sink: string | null, at: Date): Promise<number>;
  /**
   * Moves the sink's cursor back so everything since `since` is sent again; returns how many
   * events the sink is now to get (again, or not yet had); 0 and no change when none is that recent.
   */
  rewind(sink: string, since: Date): Promise<number>;
}
