import { z } from 'zod';
import { component, instant, page } from './component.js';

/** One audit entry: who did what to which entity, and its state before and after. */
export const AuditEntry = component(
  'AuditEntry',
  z.object({
    seq: z.number().int(),
    id: z.string(),
    at: instant,
    actorId: z.string(),
    action: z.string().describe("past-tense dotted verb, e.g. 'service-item.approved'"),
    entityType: z.string(),
    entityId: z.string(),
    unit: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
  }),
);
export const AuditEntryPage = page('AuditEntryPage', AuditEntry);
