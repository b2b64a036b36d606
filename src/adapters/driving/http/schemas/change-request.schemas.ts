import { z } from 'zod';
import { CHANGE_ASPECTS, CHANGE_REQUEST_STATES } from '../../../../domain/service-item/change-request.js';
import { component, entityId, instant, page, personId } from './component.js';

export const ChangeNeed = component(
  'ChangeNeed',
  z.object({
    aspect: z.enum(CHANGE_ASPECTS).describe('what part of the item changes'),
    description: z.string().describe('what is to change'),
  }),
);

export const ChangeRequest = component(
  'ChangeRequest',
  z.object({
    id: entityId,
    itemId: entityId,
    itemCode: z.string(),
    itemName: z.string(),
    unit: z.string().describe('the owning unit, which filed it'),
    state: z.enum(CHANGE_REQUEST_STATES),
    reason: z.string().describe('why the item changes'),
    needs: z.array(ChangeNeed).describe('what changes (变更需求)'),
    requestedBy: personId,
    requestedAt: instant,
    decision: z
      .object({
        by: personId,
        at: instant,
        comment: z.string().nullable().describe("the IT Office's comment, or its reason for a refusal"),
      })
      .nullable(),
    versionId: entityId.nullable().describe('the draft version an accepted request opened'),
  }),
);

export const ChangeRequestPage = page('ChangeRequestPage', ChangeRequest);
