import type { Evaluation } from '../../domain/evaluation/evaluation.entity.js';
import type { FollowUp, FollowUpStatus } from '../../domain/evaluation/follow-up.entity.js';

export interface EvaluationRepository {
  find(applicationId: string): Promise<Evaluation | null>;
  /** Adds or replaces the application's rating. */
  put(evaluation: Evaluation): Promise<void>;
}

export interface FollowUpRepository {
  findById(id: string): Promise<FollowUp | null>;
  findOpen(applicationId: string): Promise<FollowUp | null>;
  put(followUp: FollowUp): Promise<void>;
  list(options: { units: string[] | 'all'; status?: FollowUpStatus; limit: number }): Promise<FollowUp[]>;
}
