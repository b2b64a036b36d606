import { z } from 'zod';
import { ApplicationState } from './application.schemas.js';
import { component, entityId, instant, page, personId } from './component.js';

/** One line of an item's applications, for its managers: who applied and where it stands; never the form. */
export const ItemApplicationLine = component(
  'ItemApplicationLine',
  z.object({
    id: entityId,
    caseNumber: z.string().nullable(),
    applicant: z.object({
      id: personId,
      name: z.string().nullable(),
      unit: z.string().describe('the unit the applicant applied from'),
    }),
    state: ApplicationState,
    activeNodes: z
      .array(z.object({ key: z.string(), name: z.string().nullable() }))
      .describe('the steps it waits at, with the names its process gives them; none once ended or while returned'),
    submittedAt: instant,
    updatedAt: instant,
    endedAt: instant.nullable(),
  }),
);
export const ItemApplicationPage = page('ItemApplicationPage', ItemApplicationLine);
