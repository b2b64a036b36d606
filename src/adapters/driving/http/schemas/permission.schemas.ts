import { z } from 'zod';
import { civilDate, component, entityId, instant, personId } from './component.js';

export const RoleAssignment = component(
  'RoleAssignment',
  z.object({
    subject: personId,
    role: z.string(),
    unit: z.string().describe("a unit key, or '*' for a university-wide role"),
  }),
);
export const RoleAssignmentList = component('RoleAssignmentList', z.object({ items: z.array(RoleAssignment) }));

/** A passed training course (Art. 17). */
export const Certification = component(
  'Certification',
  z.object({
    id: entityId,
    personId,
    course: z.string(),
    passedOn: civilDate,
    expiresOn: civilDate,
    recordedBy: personId,
    recordedAt: instant,
  }),
);

/** What offboarding did (交接): roles revoked, sessions ended, tasks handed over. */
export const HandoverReport = component(
  'HandoverReport',
  z.object({
    personId,
    status: z.enum(['left', 'retired', 'suspended']),
    successor: personId.nullable(),
    rolesRevoked: z.array(RoleAssignment),
    sessionsEnded: z.number().int(),
    tasks: z.array(
      z.object({
        applicationId: entityId,
        caseNumber: z.string().nullable(),
        taskId: entityId,
        node: z.string(),
        to: z.string().describe('the successor, or the pool it went back to'),
      }),
    ),
  }),
);
