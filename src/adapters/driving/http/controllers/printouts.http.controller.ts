import { z } from 'zod';
import type { PrintoutsUseCase } from '../../../../application/printouts/printouts.use-case.js';
import { route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { PrintoutPublicKey, PrintoutVerification } from '../schemas/printout.schemas.js';

const TAGS = ['printouts'];

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Printouts (办事凭证): issuing one returns the PDF itself (a RouteSpec reply may carry a Buffer
 * body with its own headers); checking one and fetching the public key need no sign-in.
 */
export function printoutRoutes({ printouts }: { printouts: PrintoutsUseCase }): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/applications/{applicationId}/printouts',
      operationId: 'issuePrintout',
      summary:
        'Issue a signed printout (办事凭证) of a completed application, or of one at a printable step: the body is the PDF, X-Verification-Code its code',
      tags: TAGS,
      auth: true,
      params: z.object({ applicationId: uuidParam }),
      responses: {
        201: {
          description:
            'the printout as application/pdf; headers X-Verification-Code (the code), Location (its online check) and Content-Disposition',
          content: { 'application/pdf': 'binary' },
          headers: {
            'X-Verification-Code': 'the verification code',
            Location: 'its online check, GET /api/v1/verify/{code}',
            'Content-Disposition': 'attachment, with the file name',
          },
        },
        403: { description: 'you may not see the application' },
        404: { description: 'no such application' },
        409: { description: 'PRINTOUT.NOT_PRINTABLE: neither completed nor at or past a printable step' },
      },
      handle: async ({ params, ctx }) => {
        const r = await printouts.issue(actorOf(ctx), params.applicationId);
        if (!r.ok) throw r.error;
        const p = r.value;
        return {
          status: 201,
          body: p.document,
          headers: {
            'Content-Type': p.contentType,
            'Content-Disposition': attachment(p.fileName),
            'X-Verification-Code': p.code,
            Location: `/api/v1/verify/${p.code}`,
            'Cache-Control': 'private, no-store',
            'X-Content-Type-Options': 'nosniff',
          },
        };
      },
    }),
    // declared before /verify/{code}, which would otherwise take 'public-key' for a code
    route({
      method: 'get',
      path: '/api/v1/verify/public-key',
      operationId: 'printoutPublicKey',
      summary:
        'The public key (Ed25519, SPKI PEM) printouts are signed with, to check them offline (hall receipt verify --public-key)',
      tags: TAGS,
      auth: false,
      database: false,
      responses: { 200: { description: 'the key', schema: PrintoutPublicKey } },
      handle: async () => reply(await printouts.publicKey()),
    }),
    route({
      method: 'get',
      path: '/api/v1/verify/public-key.pem',
      operationId: 'printoutPublicKeyPem',
      summary:
        'The same public key as a PEM file (application/x-pem-file), for hall receipt verify --public-key <file>',
      tags: TAGS,
      auth: false,
      database: false,
      responses: {
        200: {
          description: 'the SPKI PEM',
          content: { 'application/x-pem-file': 'text' },
          headers: { 'Content-Disposition': 'attachment, with a file name naming the key' },
        },
      },
      handle: async () => {
        const r = await printouts.publicKey();
        if (!r.ok) throw r.error;
        return {
          status: 200,
          body: r.value.publicKeyPem,
          headers: {
            'Content-Type': 'application/x-pem-file',
            'Content-Disposition': attachment(`hall-printout-${r.value.keyId}.pub.pem`),
            'X-Content-Type-Options': 'nosniff',
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/verify/{code}',
      operationId: 'verifyPrintout',
      summary:
        'Check a printout by its verification code (any case, dashes optional): what it must say, and whether it is still valid',
      tags: TAGS,
      auth: false,
      // self-service terminals (自助终端) and anyone holding a printout verify without signing in
      limitedPerAddress: true,
      params: z.object({ code: z.string().min(1).max(64) }),
      responses: {
        200: { description: 'valid or revoked (with the reason)', schema: PrintoutVerification },
        404: { description: 'PRINTOUT.NOT_FOUND: no printout has this code' },
        429: { description: 'HTTP.TOO_MANY_REQUESTS: PUBLIC_CALLS_PER_MINUTE from one address; Retry-After says when' },
      },
      handle: async ({ params, ctx }) => reply(await printouts.verify({ code: params.code, requestId: ctx.requestId })),
    }),
  ];
}
