import type { JobAdmin, JobState, QueueFigures } from '../../src/application/ports/job-admin.port.js';
import type { SupervisionQueries, UnitSummary, UnitSupervision } from '../../src/application/ports/supervision.port.js';

const noJobs = (): Record<JobState, number> => ({
  created: 0,
  retry: 0,
  active: 0,
  completed: 0,
  cancelled: 0,
  failed: 0,
});

/** Job queues by state; `retryFailed` moves a queue's failed jobs back to 'retry' and says how many. */
export class FakeJobAdmin implements JobAdmin {
  readonly queues = new Map<string, { states: Record<JobState, number>; oldestDue: Date | null }>();
  readonly asked: Date[] = [];

  constructor(queues: Record<string, Partial<Record<JobState, number>>> = {}) {
    for (const [queue, states] of Object.entries(queues))
      this.queues.set(queue, { states: { ...noJobs(), ...states }, oldestDue: null });
  }

  async figures(now: Date): Promise<QueueFigures[]> {
    this.asked.push(now);
    return [...this.queues].map(([queue, q]) => ({ queue, states: { ...q.states }, oldestDue: q.oldestDue }));
  }

  async retryFailed(queue: string | null): Promise<number> {
    let n = 0;
    for (const [name, q] of this.queues) {
      if (queue !== null && name !== queue) continue;
      n += q.states.failed;
      q.states.retry += q.states.failed;
      q.states.failed = 0;
    }
    return n;
  }
}

/**
 * Supervision figures are SQL aggregates over tasks and follow-ups (tested against PostgreSQL); the
 * use case only decides who may see which unit and stamps the instant, so this read model answers
 * with the figures it is given and notes the instant it was asked about.
 */
export class FakeSupervisionQueries implements SupervisionQueries {
  readonly perUnit = new Map<string, UnitSupervision>();
  readonly asked: Array<{ unitKey?: string; now: Date }> = [];

  async unit(o: { unitKey: string; now: Date }): Promise<UnitSupervision | null> {
    this.asked.push(o);
    return structuredClone(this.perUnit.get(o.unitKey) ?? null);
  }

  async units(o: { now: Date }): Promise<UnitSummary[]> {
    this.asked.push(o);
    return [...this.perUnit.values()].map(({ byHandler: _byHandler, ...summary }) => structuredClone(summary));
  }
}
