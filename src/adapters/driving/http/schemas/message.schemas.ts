import { z } from 'zod';
import { component, entityId, instant } from './component.js';

const KINDS = [
  'reminder.before-due',
  'reminder.due',
  'reminder.overdue-escalation',
  'urge',
  'follow-up.before-due',
  'follow-up.due',
  'follow-up.overdue-escalation',
  'change-request.filed',
  'change-request.decided',
  'role-filing.filed',
  'role-filing.decided',
  'certification.expiring',
  'certification.lapsed',
  'person.post-changed',
  'application.cancelled-by-admin',
  'task.reassigned',
] as const;

/** A portal message (站内消息): a reminder, an escalation, an urge, or a notice about one's training certification. */
export const Message = component(
  'Message',
  z.object({
    id: entityId,
    kind: z.enum(KINDS),
    subject: z.string(),
    body: z.string(),
    applicationId: entityId.nullable(),
    taskId: entityId.nullable(),
    createdAt: instant,
    readAt: instant.nullable(),
  }),
);

export const MessagePage = component(
  'MessagePage',
  z.object({
    items: z.array(Message),
    nextCursor: z.string().nullable(),
    unread: z.number().int().describe('how many of my messages are unread'),
  }),
);
