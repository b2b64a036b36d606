import { z } from 'zod';
import type { ListDataReadsUseCase } from '../../../../application/audit/list-data-reads.use-case.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { DataReadPage } from '../schemas/data-reads.schemas.js';

export function dataReadRoutes({ listDataReads }: { listDataReads: ListDataReadsUseCase }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/data-reads',
      operationId: 'listDataReads',
      summary:
        "Who read a person's data: their applications' forms, attachments and printouts, read by anyone else (auditors and the IT Office); newest first, nextCursor pages on",
      tags: ['audit'],
      auth: true,
      query: z
        .object({
          person: z.string().min(1).max(64),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          cursor: z.string().min(1).max(200).optional(),
        })
        .strict(),
      responses: {
        200: { description: 'a page of reads, newest first', schema: DataReadPage },
        403: { description: 'AUTH.FORBIDDEN: only auditors and the IT Office' },
      },
      handle: async ({ query, ctx }) =>
        reply(
          await listDataReads.execute({
            actor: actorOf(ctx),
            personId: query.person,
            limit: query.limit,
            cursor: query.cursor,
          }),
        ),
    }),
  ];
}
