import { z } from 'zod';
import { ROLE_FILING_STATES } from '../../../../domain/people/role-filing.js';
import { civilDate, component, entityId, instant, page, personId } from './component.js';

export const RoleAssignment = component(
  'RoleAssignment',
  z.object({
    subject: personId,
    role: z.string(),
    unit: z.string().describe("a unit key, or '*' for a university-wide role"),
  }),
);
export const HeldRole = component(
  'HeldRole',
  RoleAssignment.extend({
    filingId: entityId.nullable().describe("the unit's filing (备案) it was granted from; null: granted without one"),
  }),
);
export const RoleAssignmentList = component('RoleAssignmentList', z.object({ items: z.array(HeldRole) }));

/** 备案: a unit's filing of a role assignment, and the IT Office's decision. */
export const RoleFiling = component(
  'RoleFiling',
  z.object({
    id: entityId,
    subject: personId,
    role: z.string(),
    unit: z.string().describe('the filing unit, where the role is held'),
    items: z
      .array(z.object({ itemId: entityId, nodes: z.array(z.string()).describe('none: every node the role handles') }))
      .describe('the items and nodes the person is to handle'),
    reason: z.string(),
    certificationId: entityId.nullable().describe('the training certification attached (admin roles, Art. 17)'),
    state: z.enum(ROLE_FILING_STATES),
    filedBy: personId,
    filedAt: instant,
    decision: z
      .object({
        by: personId,
        at: instant,
        comment: z.string().nullable().describe("the IT Office's comment, or its reason for a refusal"),
      })
      .nullable(),
  }),
);
export const RoleFilingPage = page('RoleFilingPage', RoleFiling);

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
