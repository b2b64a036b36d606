import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import { Evaluation, isBadRating, type RatingLevel } from '../../domain/evaluation/evaluation.entity.js';
import { FollowUp } from '../../domain/evaluation/follow-up.entity.js';
import { ConflictError, NotAllowedError, type InputError, type NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { loadApplication } from '../applications/application-access.js';

export interface EvaluationView {
  applicationId: string;
  level: RatingLevel;
  comment: string | null;
  changes: number;
  followUp: { id: string; status: string; dueAt: string } | null;
}

/**
 * 好差评: the applicant rates a completed application. 不满意 or worse opens a follow-up (整改) for the
 * owning unit, due in N working days; the rating may be changed once within a window, and a change
 * to a satisfied level withdraws the open follow-up.
 */
export class EvaluateApplicationUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      clock: Clock;
      calendar: WorkingCalendar;
      evaluationChangeWindowDays: number;
      followUpWorkingDays: number;
    },
  ) {}

  async execute(input: {
    actor: Actor;
    applicationId: string;
    level: RatingLevel;
    comment?: string;
  }): Promise<Result<EvaluationView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { clock, calendar } = this.deps;
    const at = clock.now();
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId, true);
      if (!found.ok) return found;
      const a = found.value;
      if (a.applicantId !== input.actor.personId)
        return err(new NotAllowedError('EVALUATION.NOT_APPLICANT', 'only the applicant rates an application'));
      if (a.state !== 'completed')
        return err(new ConflictError('EVALUATION.NOT_COMPLETED', 'an application is rated once it is completed'));
      const existing = await scope.evaluations.find(a.id);
      const before = existing?.snapshot() ?? null;
      let evaluation: Evaluation;
      if (existing) {
        const changed = existing.change(input.level, input.comment ?? null, at, this.deps.evaluationChangeWindowDays);
        if (!changed.ok) return changed;
        evaluation = existing;
      } else {
        const rated = Evaluation.rate({
          applicationId: a.id,
          itemId: a.current.itemId,
          owningUnit: a.owningUnit,
          applicantId: a.applicantId,
          level: input.level,
          comment: input.comment ?? null,
          at,
        });
        if (!rated.ok) return rated;
        evaluation = rated.value;
      }
      await scope.evaluations.put(evaluation);

      let followUp = await scope.followUps.findOpen(a.id);
      if (isBadRating(evaluation.level) && !followUp) {
        followUp = FollowUp.open({
          id: globalThis.crypto.randomUUID(),
          applicationId: a.id,
          itemId: a.current.itemId,
          owningUnit: a.owningUnit,
          level: evaluation.level,
          comment: input.comment ?? null,
          dueAt: calendar.addWorkingDays(at, this.deps.followUpWorkingDays),
          at,
        });
        await scope.followUps.put(followUp);
      } else if (!isBadRating(evaluation.level) && followUp) {
        followUp.withdraw(input.actor.personId, at);
        await scope.followUps.put(followUp);
      }
      await recordChange(scope, {
        actor: input.actor,
        action: existing ? 'evaluation.changed' : 'evaluation.rated',
        entityType: 'application',
        entityId: a.id,
        unit: a.owningUnit,
        before,
        after: evaluation.snapshot(),
        at,
        event: { level: evaluation.level, itemId: a.current.itemId, followUpId: followUp?.id ?? null },
      });
      const f = followUp?.snapshot();
      const e = evaluation.snapshot();
      return ok({
        applicationId: a.id,
        level: e.level,
        comment: e.comment,
        changes: e.changes,
        followUp: f ? { id: f.id, status: f.status, dueAt: f.dueAt.toISOString() } : null,
      });
    });
  }
}
