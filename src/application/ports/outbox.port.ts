export interface OutboxEvent {
  /** 'service-item.launched' */
  topic: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  at: Date;
}

/** Bound to the unit of work's transaction: an event is published only if its change committed. */
export interface Outbox {
  enqueue(event: OutboxEvent): Promise<void>;
}
