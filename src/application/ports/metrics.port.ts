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
  /**
   * Where each sink's backlog (events not yet delivered), parked events and lag (age of the oldest
   * undelivered event) are read when the metrics are read.
   */
  outboxFigures(
    read: () => Promise<Array<{ sink: string; backlog: number; parked: number; lagSeconds: number }>>,
  ): void;
  /** Changes committed: the topics of their events, each with the unit it concerns (applications, reminders, ...). */
  changesCommitted(changes: ReadonlyArray<{ topic: string; unit: string | null }>): void;
  /** A task was decided (approved, rejected, returned) this long after it opened, in its unit. */
  taskDecided(o: { unit: string; seconds: number }): void;
  /** A sign-in, by method (password, cas, oidc), and how it went. */
  signedIn(o: { method: string; outcome: 'success' | 'failure' | 'locked' }): void;
  /** Where open and overdue tasks per unit are read when the metrics are read. */
  taskFigures(read: () => Promise<Array<{ unit: string; open: number; overdue: number }>>): void;
  /** Where each job queue's waiting jobs and the age of its oldest are read when the metrics are read. */
  jobFigures(read: () => Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>>): void;
  /** Where each business connector's breaker state is read when the metrics are read. */
  breakerFigures(read: () => Array<{ connector: string; open: boolean }>): void;
  /** Where the loaded plugins' last health reports are read when the metrics are read. */
  pluginHealth(read: () => Array<{ plugin: string; status: string }>): void;
  /** Every figure, in the metrics system's exposition format. */
  exposition(): Promise<{ contentType: string; body: string }>;
}
