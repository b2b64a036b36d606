import { NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { Message, Messages } from '../ports/notifier.port.js';

/** My portal messages (站内消息): everyone reads and marks only their own. */
export class MyMessagesUseCase {
  constructor(private readonly deps: { messages: Messages; clock: Clock }) {}

  async list(input: {
    actor: Actor;
    unreadOnly: boolean;
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: Message[]; nextCursor: string | null; unread: number }, never>> {
    return ok(
      await this.deps.messages.list({
        recipientId: input.actor.personId,
        unreadOnly: input.unreadOnly,
        limit: input.limit,
        cursor: input.cursor,
      }),
    );
  }

  async markRead(input: { actor: Actor; messageId: string }): Promise<Result<void, NotFoundError>> {
    const marked = await this.deps.messages.markRead({
      recipientId: input.actor.personId,
      id: input.messageId,
      at: this.deps.clock.now(),
    });
    // someone else's message is answered as a missing one: its existence is not theirs to learn
    if (!marked) return err(new NotFoundError('MESSAGE.NOT_FOUND', 'no such message of yours'));
    return ok(undefined);
  }
}
