import type { Knex } from 'knex';
import type { DueTimers } from '../pg-boss/due-timers.js';
import { Evaluation, type EvaluationProps, type RatingLevel } from '../../../domain/evaluation/evaluation.entity.js';
import { FollowUp, type FollowUpProps, type FollowUpStatus } from '../../../domain/evaluation/follow-up.entity.js';
import type {
  EvaluationRepository,
  FollowUpRepository,
} from '../../../application/ports/evaluation.repository.port.js';

interface EvaluationRow {
  application_id: string;
  item_id: string;
  owning_unit: string;
  applicant_id: string;
  level: number;
  comment: string | null;
  changes: number;
  created_at: Date;
  updated_at: Date;
}
interface FollowUpRow {
  id: string;
  application_id: string;
  item_id: string;
  owning_unit: string;
  level: number;
  comment: string | null;
  status: FollowUpStatus;
  due_at: Date;
  created_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  resolution: string | null;
}

export class KnexEvaluationRepository implements EvaluationRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async find(applicationId: string): Promise<Evaluation | null> {
    const r = await this.db<EvaluationRow>('evaluations').where({ application_id: applicationId }).first();
    return r
      ? Evaluation.restore({
          applicationId: r.application_id,
          itemId: r.item_id,
          owningUnit: r.owning_unit,
          applicantId: r.applicant_id,
          level: r.level as RatingLevel,
          comment: r.comment,
          changes: r.changes,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })
      : null;
  }

  async put(e: Evaluation): Promise<void> {
    const p: EvaluationProps = e.snapshot();
    await this.db('evaluations')
      .insert({
        application_id: p.applicationId,
        item_id: p.itemId,
        owning_unit: p.owningUnit,
        applicant_id: p.applicantId,
        level: p.level,
        comment: p.comment,
        changes: p.changes,
        created_at: p.createdAt,
        updated_at: p.updatedAt,
      })
      .onConflict('application_id')
      .merge(['level', 'comment', 'changes', 'updated_at']);
  }
}

const toFollowUp = (r: FollowUpRow) =>
  FollowUp.restore({
    id: r.id,
    applicationId: r.application_id,
    itemId: r.item_id,
    owningUnit: r.owning_unit,
    level: r.level as RatingLevel,
    comment: r.comment,
    status: r.status,
    dueAt: r.due_at,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    resolution: r.resolution,
  });

export class KnexFollowUpRepository implements FollowUpRepository {
  /** `timers`: a follow-up's reminders, armed when it opens and disarmed when it closes. */
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly timers?: DueTimers,
  ) {}

  async findById(id: string): Promise<FollowUp | null> {
    const r = await this.db<FollowUpRow>('follow_ups').where({ id }).first();
    return r ? toFollowUp(r) : null;
  }

  async findOpen(applicationId: string): Promise<FollowUp | null> {
    const r = await this.db<FollowUpRow>('follow_ups').where({ application_id: applicationId, status: 'open' }).first();
    return r ? toFollowUp(r) : null;
  }

  async put(f: FollowUp): Promise<void> {
    const p: FollowUpProps = f.snapshot();
    await this.db('follow_ups')
      .insert({
        id: p.id,
        application_id: p.applicationId,
        item_id: p.itemId,
        owning_unit: p.owningUnit,
        level: p.level,
        comment: p.comment,
        status: p.status,
        due_at: p.dueAt,
        created_at: p.createdAt,
        closed_at: p.closedAt,
        closed_by: p.closedBy,
        resolution: p.resolution,
      })
      .onConflict('id')
      .merge(['status', 'closed_at', 'closed_by', 'resolution']);
    // a follow-up is open from its creation until it closes, once: arming and disarming are idempotent
    if (p.status === 'open')
      await this.timers?.apply(this.db, [{ id: p.id, dueAt: p.dueAt, openedAt: p.createdAt, reopened: false }], []);
    else await this.timers?.apply(this.db, [], [{ id: p.id, dueAt: p.dueAt }]);
  }

  async list(o: { units: string[] | 'all'; status?: FollowUpStatus; limit: number }): Promise<FollowUp[]> {
    const q = this.db<FollowUpRow>('follow_ups')
      .orderBy([{ column: 'due_at' }, { column: 'id' }])
      .limit(o.limit);
    if (o.units !== 'all') q.whereIn('owning_unit', o.units);
    if (o.status) q.where('status', o.status);
    return (await q).map(toFollowUp);
  }
}
