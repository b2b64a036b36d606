/**
 * What the hall counts and times for its operators. The HTTP edge reports the requests it served
 * and the problems it answered; the database pool reports its waits, its statements and its state.
 * The figures are read in the format of the metrics system the adapter speaks (`exposition`).
 */
export interface Metrics {
  /** One answered request, by route template (never the raw path: label values stay few). */
  observeRequest(o: { method: string; route: string; status: number; seconds: number }): void;
  /** One problem document answered, by its stable code. */
  countProblem(o: { code: string }): void;
  /** A request waited this long for a database connection, and got one or timed out. */
  poolWaited(o: { seconds: number; outcome: 'acquired' | 'timeout' }): void;
  /** A statement was sent to the database. */
  statementSent(): void;
  /** Where the pool's figures are read when the metrics are read (not on every change). */
  poolFigures(read: () => { used: number; free: number; pending: number }): void;
  /** The outbox relay had a sink accept this many events. */
  outboxDelivered(o: { sink: string; events: number }): void;
  /** Where each sink's backlog (events not yet delivered) and parked events are read when the metrics are read. */
  outboxFigures(read: () => Promise<Array<{ sink: string; backlog: number; parked: number }>>): void;
  /** Where the loaded plugins' last health reports are read when the metrics are read. */
  pluginHealth(read: () => Array<{ plugin: string; status: string }>): void;
  /** Every figure, in the metrics system's exposition format. */
  exposition(): Promise<{ contentType: string; body: string }>;
}
