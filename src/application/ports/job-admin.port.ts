export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface QueueFigures {
  queue: string;
  /** How many jobs are in each state (states with none are 0). */
  states: Record<JobState, number>;
  /** The earliest start of a job waiting to run that is already due: a backlog when it is old. */
  oldestDue: Date | null;
}

/** The durable job queues as the IT Office sees them. */
export interface JobAdmin {
  figures(now: Date): Promise<QueueFigures[]>;
  /** Failed jobs of a queue (or all) are taken again; returns how many. */
  retryFailed(queue: string | null): Promise<number>;
}
