import { ConflictError, InputError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

/** The five national levels of 好差评. */
export const RATING_LEVELS = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' } as const;
export type RatingLevel = 1 | 2 | 3 | 4 | 5;
/** 不满意 or worse opens a follow-up (整改) for the owning unit. */
export const isBadRating = (level: RatingLevel): boolean => level <= 2;

export interface EvaluationProps {
  applicationId: string;
  itemId: string;
  owningUnit: string;
  applicantId: string;
  level: RatingLevel;
  comment: string | null;
  /** How many times the rating was changed (at most once). */
  changes: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One rating per completed application, by its applicant; it may be changed once within a window. */
export class Evaluation {
  private constructor(private props: EvaluationProps) {}

  static restore(props: EvaluationProps): Evaluation {
    return new Evaluation({ ...props });
  }

  static rate(
    i: Omit<EvaluationProps, 'changes' | 'createdAt' | 'updatedAt'> & { at: Date },
  ): Result<Evaluation, InputError> {
    const bad = checkLevel(i.level);
    if (bad) return err(bad);
    return ok(new Evaluation({ ...i, changes: 0, createdAt: i.at, updatedAt: i.at }));
  }

  get level(): RatingLevel {
    return this.props.level;
  }
  snapshot(): EvaluationProps {
    return { ...this.props };
  }

  change(
    level: RatingLevel,
    comment: string | null,
    at: Date,
    windowDays: number,
  ): Result<void, InputError | ConflictError> {
    const bad = checkLevel(level);
    if (bad) return err(bad);
    if (this.props.changes >= 1)
      return err(new ConflictError('EVALUATION.ALREADY_CHANGED', 'a rating can be changed once only'));
    if (at.getTime() - this.props.createdAt.getTime() > windowDays * 86_400_000) {
      return err(
        new ConflictError('EVALUATION.CHANGE_WINDOW_CLOSED', `a rating can be changed within ${windowDays} days only`),
      );
    }
    this.props = { ...this.props, level, comment, changes: this.props.changes + 1, updatedAt: at };
    return ok(undefined);
  }
}

function checkLevel(level: number): InputError | null {
  return [1, 2, 3, 4, 5].includes(level)
    ? null
    : new InputError('EVALUATION.BAD_LEVEL', 'the rating must be one of the five levels', [
        { path: '/level', message: '1 (非常不满意) to 5 (非常满意)' },
      ]);
}
