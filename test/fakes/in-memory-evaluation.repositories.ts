import { Evaluation } from '../../src/domain/evaluation/evaluation.entity.js';
import { FollowUp, type FollowUpStatus } from '../../src/domain/evaluation/follow-up.entity.js';
import type {
  EvaluationRepository,
  FollowUpRepository,
} from '../../src/application/ports/evaluation.repository.port.js';
import type { HallState } from './in-memory-database.js';
import type { InMemoryDueTimers } from './in-memory-jobs.js';

/** One rating per application; `put` adds or replaces it. */
export class InMemoryEvaluationRepository implements EvaluationRepository {
  constructor(private readonly state: HallState) {}

  async find(applicationId: string): Promise<Evaluation | null> {
    const p = this.state.evaluations.get(applicationId);
    return p ? Evaluation.restore(structuredClone(p)) : null;
  }

  async put(evaluation: Evaluation): Promise<void> {
    const p = evaluation.snapshot();
    this.state.evaluations.set(p.applicationId, structuredClone(p));
  }
}

/** Follow-ups (整改); the list is ordered by due date, as the supervision reads it. Their reminders are armed while they are open. */
export class InMemoryFollowUpRepository implements FollowUpRepository {
  constructor(
    private readonly state: HallState,
    private readonly timers?: InMemoryDueTimers,
  ) {}

  async findById(id: string): Promise<FollowUp | null> {
    const p = this.state.followUps.get(id);
    return p ? FollowUp.restore(structuredClone(p)) : null;
  }

  async findOpen(applicationId: string): Promise<FollowUp | null> {
    const p = [...this.state.followUps.values()].find((f) => f.applicationId === applicationId && f.status === 'open');
    return p ? FollowUp.restore(structuredClone(p)) : null;
  }

  async put(followUp: FollowUp): Promise<void> {
    const p = followUp.snapshot();
    if (
      p.status === 'open' &&
      [...this.state.followUps.values()].some(
        (f) => f.id !== p.id && f.applicationId === p.applicationId && f.status === 'open',
      )
    ) {
      // the partial unique index follow_ups_one_open; the knex repository lets the driver's error through
      throw new Error('duplicate key value violates unique constraint "follow_ups_one_open"');
    }
    this.state.followUps.set(p.id, structuredClone(p));
    if (p.status === 'open')
      this.timers?.apply(this.state, [{ id: p.id, dueAt: p.dueAt, openedAt: p.createdAt, reopened: false }], []);
    else this.timers?.apply(this.state, [], [{ id: p.id, dueAt: p.dueAt }]);
  }

  async list(o: { units: string[] | 'all'; status?: FollowUpStatus; limit: number }): Promise<FollowUp[]> {
    return [...this.state.followUps.values()]
      .filter((f) => (o.units === 'all' || o.units.includes(f.owningUnit)) && (!o.status || f.status === o.status))
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id))
      .slice(0, o.limit)
      .map((p) => FollowUp.restore(structuredClone(p)));
  }
}
