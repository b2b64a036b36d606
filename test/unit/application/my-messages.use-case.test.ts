import { expect } from 'chai';
import { MyMessagesUseCase } from '../../../src/application/messages/my-messages.use-case.js';
import type { Message, Messages } from '../../../src/application/ports/notifier.port.js';
import { failure, value } from '../../fixtures/result.js';

const NOW = new Date('2026-11-27T02:00:00Z');
const message = (id: string): Message => ({
  id,
  kind: 'urge',
  subject: '催办',
  body: '…',
  applicationId: null,
  taskId: null,
  createdAt: NOW.toISOString(),
  readAt: null,
});

/** Messages kept per recipient, as the real store keys them. */
class FakeMessages implements Messages {
  readonly byRecipient = new Map<string, Message[]>([
    ['T0102', [message('m1'), message('m2')]],
    ['T0202', [message('m3')]],
  ]);
  listed: Array<Parameters<Messages['list']>[0]> = [];
  async list(o: Parameters<Messages['list']>[0]) {
    this.listed.push(o);
    const mine = (this.byRecipient.get(o.recipientId) ?? []).filter((m) => !o.unreadOnly || !m.readAt);
    return { items: mine.slice(0, o.limit), nextCursor: null, unread: mine.filter((m) => !m.readAt).length };
  }
  async markRead(o: { recipientId: string; id: string; at: Date }) {
    const m = (this.byRecipient.get(o.recipientId) ?? []).find((x) => x.id === o.id);
    if (!m) return false;
    m.readAt = o.at.toISOString();
    return true;
  }
  async pendingEmail() {
    return null;
  }
  async emailDone() {}
}

describe('MyMessagesUseCase (fake messages)', () => {
  const setup = () => {
    const messages = new FakeMessages();
    return { messages, uc: new MyMessagesUseCase({ messages, clock: { now: () => NOW } }) };
  };
  const handler = { personId: 'T0102', requestId: 'r' };

  it("lists the caller's own messages only", async () => {
    const { messages, uc } = setup();
    const page = value(await uc.list({ actor: handler, unreadOnly: false, limit: 20 }));
    expect(page.items.map((m) => m.id)).to.deep.equal(['m1', 'm2']);
    expect(page.unread).to.equal(2);
    expect(messages.listed[0]).to.include({ recipientId: 'T0102', unreadOnly: false, limit: 20 });
  });

  it("marks one of the caller's messages read at the clock's time", async () => {
    const { messages, uc } = setup();
    value(await uc.markRead({ actor: handler, messageId: 'm2' }));
    expect(messages.byRecipient.get('T0102')![1]!.readAt).to.equal(NOW.toISOString());
    expect(value(await uc.list({ actor: handler, unreadOnly: true, limit: 20 })).items.map((m) => m.id)).to.deep.equal([
      'm1',
    ]);
  });

  it("answers someone else's message as a missing one, and leaves it unread", async () => {
    const { messages, uc } = setup();
    const e = failure(await uc.markRead({ actor: handler, messageId: 'm3' }));
    expect(e.code).to.equal('MESSAGE.NOT_FOUND');
    expect(e.kind).to.equal('not-found');
    expect(messages.byRecipient.get('T0202')![0]!.readAt).to.equal(null);
  });
});
