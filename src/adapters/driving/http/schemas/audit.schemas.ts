import { z } from 'zod';
import { component, instant, page } from './component.js';

/** One audit entry: who did what to which entity, and its state before and after. */
export const AuditEntry = component(
  'AuditEntry',
  z.object({
    seq: z
      .number()
      .int()
      .nullable()
      .describe('its place in the Merkle tree log (1, 2, 3, …); null for a moment, until the sequencer gives it one'),
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
