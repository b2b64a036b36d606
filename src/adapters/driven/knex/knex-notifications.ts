import type { Knex } from 'knex';
import type { Message, Messages, Notification, Notifier } from '../../../application/ports/notifier.port.js';
import type { BossJobReceipts } from '../pg-boss/due-timers.js';
import { decodeInstantIdCursor, encodeInstantIdCursor } from './cursor.js';

interface NotificationRow {
  id: string;
  recipient_id: string;
  kind: Message['kind'];
  subject: string;
  body: string;
  application_id: string | null;
  task_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

/**
 * Every notification is a portal message, recorded in the transaction of the change that causes
 * it; with e-mail on, its delivery is a durable job enqueued in that same transaction.
 */
export class KnexNotifier implements Notifier {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly email: { receipts: BossJobReceipts; expireSeconds: number } | null,
  ) {}

  async notify(n: Notification): Promise<boolean> {
    const id = globalThis.crypto.randomUUID();
    const inserted = await this.trx('notifications')
      .insert({
        id,
        recipient_id: n.recipientId,
        kind: n.kind,
        subject: n.subject,
        body: n.body,
        application_id: n.applicationId,
        task_id: n.taskId,
        dedupe_key: n.dedupeKey,
        created_at: n.at,
        email_status: this.email ? 'pending' : null,
      })
      .onConflict('dedupe_key')
      .ignore()
      .returning('id');
    if (!inserted.length) return false;
    if (this.email) await this.email.receipts.enqueueEmail(id, this.email.expireSeconds);
    return true;
  }
}

const toMessage = (r: NotificationRow): Message => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject,
  body: r.body,
  applicationId: r.application_id,
  taskId: r.task_id,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at ? r.read_at.toISOString() : null,
});

export class KnexMessages implements Messages {
  constructor(private readonly knex: Knex) {}

  async list(o: {
    recipientId: string;
    unreadOnly: boolean;
    limit: number;
    cursor?: string;
  }): Promise<{ items: Message[]; nextCursor: string | null; unread: number }> {
    const q = this.knex<NotificationRow>('notifications')
      .where({ recipient_id: o.recipientId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(o.limit + 1);
    if (o.unreadOnly) q.whereNull('read_at');
    if (o.cursor) {
      const { at, id } = decodeInstantIdCursor(o.cursor);
      q.where((w) =>
        w
          .where('created_at', '<', new Date(at))
          .orWhere((x) => x.where('created_at', '=', new Date(at)).andWhere('id', '<', id)),
      );
    }
    const [rows, unread] = await Promise.all([
      q,
      this.knex('notifications')
        .where({ recipient_id: o.recipientId })
        .whereNull('read_at')
        .count<{ n: string }[]>({ n: '*' }),
    ]);
    const page = rows.slice(0, o.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toMessage),
      nextCursor: rows.length > o.limit && last ? encodeInstantIdCursor(last.created_at, last.id) : null,
      unread: Number(unread[0]?.n ?? 0),
    };
  }

  async markRead(o: { recipientId: string; id: string; at: Date }): Promise<boolean> {
    // read once: a second read keeps the first time
    const mine = await this.knex('notifications')
      .where({ id: o.id, recipient_id: o.recipientId })
      .update({ read_at: this.knex.raw('COALESCE(read_at, ?)', [o.at]) })
      .returning('id');
    return mine.length === 1;
  }

  async pendingEmail(id: string): Promise<{ to: string | null; subject: string; body: string } | null> {
    const row = await this.knex('notifications as n')
      .join('people as p', 'p.id', 'n.recipient_id')
      .where('n.id', id)
      .where('n.email_status', 'pending')
      .first<{ email: string | null; subject: string; body: string } | undefined>('p.email', 'n.subject', 'n.body');
    return row ? { to: row.email, subject: row.subject, body: row.body } : null;
  }

  async emailDone(id: string, status: 'sent' | 'no-address', at: Date): Promise<void> {
    await this.knex('notifications').where({ id }).update({ email_status: status, emailed_at: at });
  }
}
