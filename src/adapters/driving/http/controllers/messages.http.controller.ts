import { z } from 'zod';
import type { MyMessagesUseCase } from '../../../../application/messages/my-messages.use-case.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { MessagePage } from '../schemas/message.schemas.js';

/** My portal messages (站内消息): reminders, escalations and urges, newest first. */
export function messageRoutes({ myMessages }: { myMessages: MyMessagesUseCase }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/me/messages',
      operationId: 'listMyMessages',
      summary: 'My messages (reminders, escalations, urges), newest first',
      tags: ['messages'],
      auth: true,
      query: z
        .object({
          unread: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          cursor: z.string().max(200).optional(),
        })
        .strict(),
      responses: { 200: { description: 'a page of messages, and how many are unread', schema: MessagePage } },
      handle: async ({ query, ctx }) =>
        reply(
          await myMessages.list({
            actor: actorOf(ctx),
            unreadOnly: query.unread === 'true',
            limit: query.limit,
            cursor: query.cursor,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/me/messages/{messageId}/read',
      operationId: 'readMyMessage',
      summary: 'Mark one of my messages read',
      tags: ['messages'],
      auth: true,
      params: z.object({ messageId: z.string().uuid() }),
      responses: { 204: { description: 'read' }, 404: { description: 'MESSAGE.NOT_FOUND: no such message of mine' } },
      handle: async ({ params, ctx }) => {
        const r = await myMessages.markRead({ actor: actorOf(ctx), messageId: params.messageId });
        if (!r.ok) throw r.error;
        return { status: 204 };
      },
    }),
  ];
}
