import { z } from 'zod';
import type { ListAuditEntriesUseCase } from '../../../../application/audit/list-audit-entries.use-case.js';
import type { ExportEvidenceUseCase } from '../../../../application/audit/export-evidence.use-case.js';
import type { ProveConsistencyUseCase } from '../../../../application/audit/prove-consistency.use-case.js';
import { BUNDLE_MEDIA_TYPE } from '../../../../application/audit/evidence-bundle.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, inQuery, reply } from './reply.js';
import { AuditConsistencyProof, AuditEntryPage } from '../schemas/audit.schemas.js';

/** An instant with its offset ('2026-11-30T08:00:00Z', '2026-11-30T16:00:00+08:00'). */
const instantInput = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .describe('ISO 8601 instant with an offset');
const id = z.string().min(1).max(64);
/** A size of the audit tree: how many entries (0 for the empty tree); an empty value is no number, not 0. */
const treeSize = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? Number.NaN : v),
  z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
);

export function auditRoutes({
  listAuditEntries,
  exportEvidence,
  proveConsistency,
}: {
  listAuditEntries: ListAuditEntriesUseCase;
  exportEvidence: ExportEvidenceUseCase;
  proveConsistency: ProveConsistencyUseCase;
}): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/audit-entries',
      operationId: 'listAuditEntries',
      summary:
        'Audit entries, newest first, optionally of one entity type and/or entity, one actor, one action and/or a time range (auditors and the IT Office); nextCursor pages on',
      tags: ['audit'],
      auth: true,
      query: z
        .object({
          entityType: id.optional(),
          entityId: id.optional(),
          actorId: id.optional(),
          action: z.string().min(1).max(100).optional(),
          from: instantInput.optional().describe('entries at or after this instant'),
          to: instantInput.optional().describe('entries before this instant'),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          cursor: z.string().min(1).max(200).optional(),
        })
        .strict(),
      responses: {
        200: { description: 'a page of entries, newest first', schema: AuditEntryPage },
        403: { description: 'AUTH.FORBIDDEN: only auditors and the IT Office' },
      },
      handle: async ({ query, ctx }) => reply(await listAuditEntries.execute({ actor: actorOf(ctx), ...query })),
    }),
    route({
      method: 'post',
      path: '/api/v1/audit-evidence',
      operationId: 'exportAuditEvidence',
      summary:
        'Evidence export (取证) for the IT Center: the audit entries by or about a person, about an application and/or in a time range, each with its inclusion proof against a signed checkpoint, as a bundle `hall audit verify-bundle` checks offline',
      tags: ['audit'],
      auth: true,
      body: z
        .object({
          personId: id.optional().describe('entries the person made, or about them'),
          applicationId: id.optional().describe('entries about the application'),
          from: instantInput.optional().describe('entries at or after this instant'),
          to: instantInput.optional().describe('entries before this instant'),
        })
        .strict(),
      responses: {
        200: {
          description: `the bundle (${BUNDLE_MEDIA_TYPE}: one JSON document a line: README, header, checkpoint, public key, entries with their proofs); Content-Disposition names the file`,
          content: { [BUNDLE_MEDIA_TYPE]: 'text' },
          headers: {
            'Content-Disposition': 'attachment, with the file name',
            'X-Audit-Tree-Size': 'the tree size of the checkpoint the proofs lead to',
          },
        },
        403: { description: 'AUTH.FORBIDDEN: only auditors and the IT Office' },
        409: { description: 'AUDIT.LOG_ALTERED: the log no longer matches its checkpoints; nothing is exported' },
      },
      handle: async ({ body, ctx }) => {
        const r = await exportEvidence.execute({ actor: actorOf(ctx), ...body });
        if (!r.ok) throw r.error;
        return {
          status: 200,
          body: Buffer.from(r.value.text, 'utf8'),
          headers: {
            'Content-Type': `${BUNDLE_MEDIA_TYPE}; charset=utf-8`,
            'Content-Disposition': `attachment; filename="${r.value.fileName}"`,
            'X-Audit-Tree-Size': String(r.value.treeSize),
            'Cache-Control': 'private, no-store',
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/audit-checkpoints/consistency',
      operationId: 'proveAuditConsistency',
      summary:
        'A consistency proof (RFC 9162 2.1.4) that the audit tree of a published checkpoint (`to`, the latest by default) extends the tree of `from` entries, with the signed checkpoints of both: whoever kept an older checkpoint checks offline (`hall audit verify-consistency`) that the log only grew since (auditors and the IT Office)',
      tags: ['audit'],
      auth: true,
      query: z
        .object({
          from: treeSize.describe('the older tree size (that of the checkpoint you kept)'),
          to: treeSize
            .optional()
            .describe('the newer tree size: that of a published checkpoint; the latest by default'),
        })
        .strict(),
      responses: {
        200: { description: 'the proof, with both signed checkpoints', schema: AuditConsistencyProof },
        400: {
          description:
            'AUDIT.BAD_RANGE (from after to), AUDIT.BAD_TREE_SIZE (to beyond the tree), AUDIT.NO_CHECKPOINT (no checkpoint of size to), or a size that is not a whole number: the field is named',
        },
        403: { description: 'AUTH.FORBIDDEN: only auditors and the IT Office' },
        409: { description: 'AUDIT.LOG_ALTERED: the log no longer matches its checkpoints; it proves nothing' },
      },
      handle: async ({ query, ctx }) =>
        reply(inQuery(await proveConsistency.execute({ actor: actorOf(ctx), from: query.from, to: query.to }))),
    }),
  ];
}
