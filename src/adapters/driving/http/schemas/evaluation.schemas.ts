import { z } from 'zod';
import { component, entityId, instant, personId } from './component.js';

const level = z.number().int().min(1).max(5).describe('5 非常满意 … 1 非常不满意');

/** A rating (好差评), and the follow-up a bad one opened (or a change withdrew). */
export const Evaluation = component(
  'Evaluation',
  z.object({
    applicationId: entityId,
    level,
    comment: z.string().nullable(),
    changes: z.number().int().describe('how many times it was changed (at most once)'),
    followUp: z.object({ id: entityId, status: z.enum(['open', 'resolved', 'withdrawn']), dueAt: instant }).nullable(),
  }),
);

/** 整改: what the owning unit does about a bad rating, by a due date. */
export const FollowUp = component(
  'FollowUp',
  z.object({
    id: entityId,
    applicationId: entityId,
    itemId: entityId,
    owningUnit: z.string(),
    level,
    comment: z.string().nullable(),
    status: z.enum(['open', 'resolved', 'withdrawn']),
    dueAt: instant,
    createdAt: instant,
    closedAt: instant.nullable(),
    closedBy: personId.nullable(),
    resolution: z.string().nullable(),
  }),
);
export const FollowUpList = component('FollowUpList', z.object({ items: z.array(FollowUp) }));
