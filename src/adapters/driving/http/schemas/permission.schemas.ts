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

const handedOver = z.array(
  z.object({
    applicationId: entityId,
    caseNumber: z.string().nullable(),
    taskId: entityId,
    node: z.string(),
    to: z.string().describe('the successor, or the pool it went back to'),
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
    tasks: handedOver,
  }),
);

/** What a change of post (异动/调离) moved out of the old unit. */
export const PostChangeReport = component(
  'PostChangeReport',
  z.object({
    personId,
    from: z.string().describe('the old unit; equal to `to` when the person was already there and nothing moved'),
    to: z.string(),
    successor: personId.nullable(),
    reason: z.string(),
    rolesRevoked: z.array(RoleAssignment).describe('every role held in the old unit; the others stay'),
    sessionsEnded: z.number().int().describe('their sessions end when their roles changed'),
    tasks: handedOver.describe("the old unit's work they held"),
    notified: z.array(personId).describe('the service admins of both units who were told'),
  }),
);
