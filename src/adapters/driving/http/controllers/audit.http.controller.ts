import { z } from 'zod';
import type { ListAuditEntriesUseCase } from '../../../../application/audit/list-audit-entries.use-case.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { AuditEntryPage } from '../schemas/audit.schemas.js';

export function auditRoutes({ listAuditEntries }: { listAuditEntries: ListAuditEntriesUseCase }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/audit-entries',
      operationId: 'listAuditEntries',
      summary:
        'Audit entries, optionally of one entity type and/or entity (auditors and the IT Office); oldest first, nextCursor pages on',
      tags: ['audit'],
      auth: true,
      query: z
        .object({
          entityType: z.string().max(64).optional(),
          entityId: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          cursor: z.string().min(1).max(200).optional(),
        })
        .strict(),
      responses: {
        200: { description: 'a page of entries, oldest first', schema: AuditEntryPage },
        403: { description: 'AUTH.FORBIDDEN: only auditors and the IT Office' },
      },
      handle: async ({ query, ctx }) => reply(await listAuditEntries.execute({ actor: actorOf(ctx), ...query })),
    }),
  ];
}
