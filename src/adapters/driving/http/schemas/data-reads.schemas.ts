import { z } from 'zod';
import { component, instant, page } from './component.js';

/** One read of a person's data by someone else. */
export const DataRead = component(
  'DataRead',
  z.object({
    id: z.string(),
    at: instant,
    readerId: z.string().describe('who read it'),
    subjectId: z.string().describe('whose data it is: the applicant'),
    applicationId: z.string(),
    what: z.enum(['form', 'attachment', 'printout']),
    detail: z.string().nullable().describe("the attachment's id, the printout's code"),
    requestId: z.string().nullable(),
  }),
);
export const DataReadPage = page('DataReadPage', DataRead);
