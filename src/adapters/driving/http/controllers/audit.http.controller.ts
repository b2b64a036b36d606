import type { Container } from 'inversify';
import { z } from 'zod';
import { NotAllowedError } from '../../../../domain/shared/errors.js';
import { AUDIT_TRAIL, type AuditTrail } from '../../../../application/ports/audit-log.port.js';
import { ALL_UNITS, POLICY_ENFORCER, type PolicyEnforcer } from '../../../../application/ports/policy-enforcer.port.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf } from './reply.js';

export function auditRoutes(container: Container): RouteSpec[] {
  const trail = container.get<AuditTrail>(AUDIT_TRAIL);
  const enforcer = container.get<PolicyEnforcer>(POLICY_ENFORCER);
  return [
    route({
      method: 'get', path: '/api/v1/audit-entries', operationId: 'listAuditEntries',
      summary: 'Audit entries, optionally of one entity type and/or entity (auditors and the IT Office); oldest first, nextCursor pages on', tags: ['audit'], auth: true,
      query: z.object({
        entityType: z.string().max(64).optional(), entityId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200),
        cursor: z.string().min(1).max(200).optional(),
      }).strict(),
      responses: { 200: { description: 'a page of entries, oldest first' } },
      handle: async ({ query, ctx }) => {
        if (!(await enforcer.can({ subject: actorOf(ctx).personId, unit: ALL_UNITS, object: 'audit', action: 'read' }))) {
          throw new NotAllowedError('AUTH.FORBIDDEN', 'only auditors and the IT Office read the audit log');
        }
        return { status: 200, body: await trail.list(query) };
      },
    }),
  ];
}
