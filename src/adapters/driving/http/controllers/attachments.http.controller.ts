import { z } from 'zod';
import type { AttachmentsUseCase } from '../../../../application/applications/attachments.use-case.js';
import { route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { ATTACHMENT_TYPES, displayFileName } from '../../../../domain/application/attachment-policy.js';
import { Attachment, AttachmentList } from '../schemas/application.schemas.js';

const FILE_CONTENT = Object.fromEntries(ATTACHMENT_TYPES.map((t) => [t, 'binary' as const]));

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name (Chinese file names survive). */
function contentDisposition(stored: string): string {
  const name = displayFileName(stored);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** `attachmentMaxBytes`: the largest upload read at all (the use case holds the same limit). */
export function attachmentRoutes(
  { attachments }: { attachments: AttachmentsUseCase },
  { attachmentMaxBytes }: { attachmentMaxBytes: number },
): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/attachments',
      operationId: 'uploadAttachment',
      summary: 'Attach a file (PDF, JPEG or PNG): the body is the file, Content-Type its type, ?name= its file name',
      tags: ['applications'],
      auth: true,
      params: z.object({ applicationId: uuidParam }),
      query: z.object({ name: z.string().min(1).max(255) }).strict(),
      rawBodyLimit: attachmentMaxBytes,
      rawBodyTypes: ATTACHMENT_TYPES,
      responses: {
        201: { description: 'the attachment, with its SHA-256', schema: Attachment },
        400: {
          description:
            'ATTACHMENT.INVALID: a file name missing, with control or bidirectional characters, a runnable extension or one not of its type; an unaccepted type; content that is not, as a whole, a well-formed file of its type; or empty',
        },
        403: { description: 'ATTACHMENT.NOT_ALLOWED: neither the applicant nor a handler of the current step' },
        404: { description: 'no such application' },
        409: { description: 'the application ended, or it has the most files it may have' },
        413: { description: 'too large' },
      },
      handle: async ({ params, query, ctx, req }) =>
        reply(
          await attachments.upload({
            actor: actorOf(ctx),
            applicationId: params.applicationId,
            fileName: query.name,
            contentType: req.header('content-type') ?? '',
            content: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          }),
          201,
        ),
    }),
    route({
      method: 'get',
      path: '/api/v1/applications/{applicationId}/attachments',
      operationId: 'listAttachments',
      summary: 'The attachments of an application',
      tags: ['applications'],
      auth: true,
      params: z.object({ applicationId: uuidParam }),
      responses: {
        200: { description: 'attachments', schema: AttachmentList },
        403: { description: 'AUTH.FORBIDDEN: you may not see the application' },
        404: { description: 'no such application' },
      },
      handle: async ({ params, ctx }) =>
        reply(await attachments.list({ actor: actorOf(ctx), applicationId: params.applicationId })),
    }),
    route({
      method: 'get',
      path: '/api/v1/attachments/{attachmentId}',
      operationId: 'downloadAttachment',
      summary: 'Download an attachment (only with read access to its application)',
      tags: ['applications'],
      auth: true,
      params: z.object({ attachmentId: uuidParam }),
      responses: {
        200: {
          description: 'the file, as its stored type',
          content: FILE_CONTENT,
          headers: { 'Content-Disposition': 'attachment, with the file name (RFC 6266/5987)' },
        },
        403: { description: 'AUTH.FORBIDDEN: you may not see the application' },
        404: { description: 'ATTACHMENT.NOT_FOUND: no such attachment' },
        500: { description: 'INTERNAL: the stored file is missing or does not match its SHA-256' },
      },
      handle: async ({ params, ctx }) => {
        const r = await attachments.download({ actor: actorOf(ctx), attachmentId: params.attachmentId });
        if (!r.ok) throw r.error;
        return {
          status: 200,
          body: r.value.content,
          headers: {
            'Content-Type': r.value.record.contentType,
            'Content-Disposition': contentDisposition(r.value.record.fileName),
            'X-Content-Type-Options': 'nosniff',
            'Cache-Control': 'private, no-store',
          },
        };
      },
    }),
  ];
}
