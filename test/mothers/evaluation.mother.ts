import { Evaluation, type EvaluationProps } from '../../src/domain/evaluation/evaluation.entity.js';
import { FollowUp, type FollowUpProps } from '../../src/domain/evaluation/follow-up.entity.js';

const RATED = new Date('2026-11-24T02:00:00.000Z');

export const EvaluationMother = {
  create(o: Partial<EvaluationProps> & { applicationId: string; itemId: string }): Evaluation {
    return Evaluation.restore({
      owningUnit: 'finance',
      applicantId: '20260001',
      level: 4,
      comment: null,
      changes: 0,
      createdAt: RATED,
      updatedAt: RATED,
      ...o,
    });
  },
};

/** An open follow-up (整改) of a bad rating, due in three weeks unless told otherwise. */
export const FollowUpMother = {
  create(o: Partial<FollowUpProps> & { applicationId: string; itemId: string }): FollowUp {
    return FollowUp.restore({
      id: globalThis.crypto.randomUUID(),
      owningUnit: 'finance',
      level: 2,
      comment: '太慢',
      status: 'open',
      dueAt: new Date('2026-12-15T15:59:59.999Z'),
      createdAt: RATED,
      closedAt: null,
      closedBy: null,
      resolution: null,
      ...o,
    });
  },
};
