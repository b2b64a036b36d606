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

/** An admin role whose holder's training certifications run out soon, or have (Art. 17). */
export const ExpiringRole = component(
  'ExpiringRole',
  z.object({
    personId,
    name: z.string(),
    role: z.string(),
    unit: z.string().describe("a unit key, or '*' for a university-wide role"),
    expiresOn: civilDate
      .nullable()
      .describe(
        'the last day the certifications cover without a gap; once run out, the last they did (null: never certified)',
      ),
    daysLeft: z
      .number()
      .int()
      .nullable()
      .describe('days from today (China) to expiresOn: 0 on the last day, negative once run out'),
  }),
);
export const ExpiringRoleList = component(
  'ExpiringRoleList',
  z.object({ today: civilDate.describe('today in China'), items: z.array(ExpiringRole) }),
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
