import { z } from 'zod';
import { component, instant, page } from './component.js';

/** One audit entry: who did what to which entity, and its state before and after. */
export const AuditEntry = component(
  'AuditEntry',
  z.object({
    seq: z
      .number()
      .int()
      .nullable()
      .describe('its place in the Merkle tree log (1, 2, 3, …); null for a moment, until the sequencer gives it one'),
    id: z.string(),
    at: instant,
    actorId: z.string(),
    action: z.string().describe("past-tense dotted verb, e.g. 'service-item.approved'"),
    entityType: z.string(),
    entityId: z.string(),
    unit: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
  }),
);
export const AuditEntryPage = page('AuditEntryPage', AuditEntry);

const base64Hash = z.string().describe('a SHA-256 hash, standard base64 with padding');
const note = z
  .string()
  .describe('a signed checkpoint: C2SP tlog-checkpoint note (origin, tree size, base64 root hash, signatures)');

/** A consistency proof (RFC 9162 2.1.4) between two sizes of the audit tree, with the signed checkpoints of both. */
export const AuditConsistencyProof = component(
  'AuditConsistencyProof',
  z.object({
    fromSize: z.number().int().min(0).describe('the older tree size'),
    toSize: z.number().int().min(0).describe('the newer tree size: a published checkpoint'),
    fromRoot: base64Hash.describe('the root hash of the first fromSize entries'),
    toRoot: base64Hash.describe('the root hash of the first toSize entries'),
    proof: z
      .array(base64Hash)
      .describe(
        'SUBPROOF(fromSize, D[toSize], true) of RFC 9162 2.1.4.1, in its order; empty when the sizes are equal',
      ),
    fromCheckpoint: note.nullable().describe('the signed checkpoint of fromSize entries; null when none was published'),
    toCheckpoint: note.describe('the signed checkpoint of toSize entries'),
  }),
);
