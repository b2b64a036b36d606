import type { EmailMessage, EmailSender } from '../../src/application/ports/email-sender.port.js';
import type { Message, Messages, Notification, Notifier } from '../../src/application/ports/notifier.port.js';
import { notImplemented, type HallState, type InMemoryDatabase } from './in-memory-database.js';
import { insertJob, QUEUES } from './in-memory-jobs.js';

/** Portal messages recorded in the transaction, each with its e-mail's delivery job when e-mail is on; a dedupe key is notified once, whatever the retries. */
export class InMemoryNotifier implements Notifier {
  constructor(
    private readonly state: HallState,
    private readonly email: boolean,
  ) {}

  async notify(n: Notification): Promise<boolean> {
    if (this.state.notifications.some((x) => x.dedupeKey === n.dedupeKey)) return false;
    const id = globalThis.crypto.randomUUID();
    this.state.notifications.push({ ...structuredClone(n), id, emailStatus: this.email ? 'pending' : null });
    if (this.email) insertJob(this.state, { queue: QUEUES.email, id, data: { notificationId: id } });
    return true;
  }
}

/** The e-mail side of recorded notifications (the portal list is read over HTTP, not by the use cases). */
export class InMemoryMessages implements Messages {
  constructor(private readonly db: InMemoryDatabase) {}

  async list(): Promise<{ items: Message[]; nextCursor: string | null; unread: number }> {
    return notImplemented('Messages.list');
  }

  async markRead(): Promise<boolean> {
    return notImplemented('Messages.markRead');
  }

  async pendingEmail(id: string): Promise<{ to: string | null; subject: string; body: string } | null> {
    return this.db.read('pending e-mails', (s) => {
      const n = s.notifications.find((x) => x.id === id && x.emailStatus === 'pending');
      return n ? { to: s.people.get(n.recipientId)?.email ?? null, subject: n.subject, body: n.body } : null;
    });
  }

  async emailDone(id: string, status: 'sent' | 'no-address'): Promise<void> {
    await this.db.autocommit((s) => {
      const n = s.notifications.find((x) => x.id === id);
      if (n) n.emailStatus = status;
    });
  }
}

/** Outgoing mail: what was handed over, or a refusal (the SMTP server down). */
export class FakeEmailSender implements EmailSender {
  readonly sent: EmailMessage[] = [];
  failure: Error | null = null;

  async send(message: EmailMessage): Promise<void> {
    if (this.failure) throw this.failure;
    this.sent.push({ ...message });
  }
}
