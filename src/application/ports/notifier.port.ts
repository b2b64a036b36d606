/** Why someone is told something; the reminder kinds follow a task's due time. */
export type NotificationKind =
  | 'reminder.before-due'
  | 'reminder.due'
  | 'reminder.overdue-escalation'
  | 'urge'
  | 'follow-up.before-due'
  | 'follow-up.due'
  | 'follow-up.overdue-escalation'
  | 'change-request.filed'
  | 'change-request.decided'
  | 'role-filing.filed'
  | 'role-filing.decided'
  | 'certification.expiring'
  | 'certification.lapsed'
  | 'person.post-changed'
  | 'application.cancelled-by-admin'
  | 'task.reassigned';

export interface Notification {
  recipientId: string;
  kind: NotificationKind;
  subject: string;
  body: string;
  applicationId: string | null;
  taskId: string | null;
  /** The same key is never notified twice, whatever retries or duplicates happen. */
  dedupeKey: string;
  at: Date;
}

/**
 * Tells people, inside the transaction of the change that causes it: every notification is recorded
 * as a portal message (read through /api/v1/me/messages), and is e-mailed too when SMTP is
 * configured (delivered after commit by a durable job).
 */
export interface Notifier {
  /** False when this dedupe key was already notified: nothing is recorded or sent again. */
  notify(n: Notification): Promise<boolean>;
}

export interface Message {
  id: string;
  kind: NotificationKind;
  subject: string;
  body: string;
  applicationId: string | null;
  taskId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** A person's portal messages, and the e-mail side of notifications. */
export interface Messages {
  list(o: {
    recipientId: string;
    unreadOnly: boolean;
    limit: number;
    cursor?: string;
  }): Promise<{ items: Message[]; nextCursor: string | null; unread: number }>;
  /** False when the message is not the person's. */
  markRead(o: { recipientId: string; id: string; at: Date }): Promise<boolean>;
  /** A notification waiting for its e-mail: to whom, and what; null when already done or not for e-mail. */
  pendingEmail(id: string): Promise<{ to: string | null; subject: string; body: string } | null>;
  emailDone(id: string, status: 'sent' | 'no-address', at: Date): Promise<void>;
}

/** A durable job handed to a worker; completing it inside a transaction makes its work and its end one. */
export interface JobReceipts {
  complete(job: { queue: string; id: string }): Promise<void>;
  /** The attempt failed: the queue retries it after its back-off, or, after the last attempt, keeps it failed. */
  fail(job: { queue: string; id: string }, error: string): Promise<void>;
}
