import type { Clock } from '../ports/clock.port.js';
import type { EmailSender } from '../ports/email-sender.port.js';
import type { Messages } from '../ports/notifier.port.js';

/**
 * Delivers the e-mail of a recorded notification (a durable job enqueued with it). A send that
 * fails throws, and the job is retried with back-off; once sent, it is marked and never sent again.
 * (SMTP gives no exactly-once: a worker dying between the send and the mark may send it twice.)
 */
export class EmailDeliveryUseCase {
  constructor(private readonly deps: { messages: Messages; emailSender: EmailSender | null; clock: Clock }) {}

  async deliver(notificationId: string): Promise<'sent' | 'no-address' | 'nothing-to-do'> {
    const pending = await this.deps.messages.pendingEmail(notificationId);
    if (!pending || !this.deps.emailSender) return 'nothing-to-do';
    if (!pending.to) {
      await this.deps.messages.emailDone(notificationId, 'no-address', this.deps.clock.now());
      return 'no-address';
    }
    await this.deps.emailSender.send({ to: pending.to, subject: pending.subject, text: pending.body });
    await this.deps.messages.emailDone(notificationId, 'sent', this.deps.clock.now());
    return 'sent';
  }
}
