import { z } from 'zod';
import { component, instant } from './component.js';

export const PrintoutPublicKey = component(
  'PrintoutPublicKey',
  z.object({ keyId: z.string(), algorithm: z.literal('Ed25519'), publicKeyPem: z.string() }),
);

/** What a printout must say, and whether it is still valid. */
export const PrintoutVerification = component(
  'PrintoutVerification',
  z.object({
    code: z.string(),
    status: z.enum(['valid', 'revoked']),
    revokedReason: z.enum(['withdrawn', 'cancelled', 'returned', 'form-changed', 'rejected']).optional(),
    revokedAt: instant.optional(),
    issuedAt: instant,
    keyId: z.string(),
    algorithm: z.literal('Ed25519'),
    summary: z
      .object({
        caseNumber: z.string(),
        service: z.object({ code: z.string(), name: z.string() }),
        applicantName: z.string(),
        result: z.string(),
        issuedAt: instant,
      })
      .describe('what the printout must say: compare it with the paper'),
    signature: z.string().describe('of the canonical content (base64url), as embedded in the PDF'),
    contentSha256: z.string().describe('SHA-256 (hex) of the canonical content'),
  }),
);
