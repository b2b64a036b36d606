import { z } from 'zod';
import { component } from './component.js';

/** RFC 9457 problem details with the hall's stable `code`; extension members (e.g. `missing`) may follow. */
export const Problem = component(
  'Problem',
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      detail: z.string().optional(),
      code: z.string().describe('stable machine-readable code, e.g. SERVICE_ITEM.NOT_FOUND'),
      instance: z.string().optional(),
      requestId: z.string().optional(),
      errors: z
        .array(z.object({ path: z.string(), message: z.string(), in: z.string().optional() }))
        .optional()
        .describe('every offending field, as a JSON pointer and where it was (body, query, path, header)'),
    })
    .loose(),
);
