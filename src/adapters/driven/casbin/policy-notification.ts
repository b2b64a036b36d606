import type { AssignmentChange } from './policy-index.js';

/** Channel on which every instance hears of policy changes (NOTIFY is delivered on commit, in commit order). */
export const POLICY_CHANNEL = 'hall_policy_changed';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (default build). */
export const MAX_PAYLOAD_BYTES = 7999;

/**
 * What one notification on POLICY_CHANNEL says:
 * - `changes`: these role assignments appeared or disappeared, in this order;
 * - `reload`: something changed that is not described (too large, or not a role assignment): read everything;
 * - `sync`: a barrier one instance sent itself; every change committed before it has been delivered before it.
 */
export type PolicyNotification =
  { kind: 'changes'; changes: AssignmentChange[] } | { kind: 'reload' } | { kind: 'sync'; token: string };

type Wire =
  | { g: Array<[op: '+' | '-', subject: string, role: string, unit: string]>; n?: string }
  | { reload: true; n?: string }
  | { sync: string };

/**
 * The payload of a notification, or undefined when it would be too large to send. `nonce` makes
 * payloads of one transaction distinct: PostgreSQL delivers identical payloads of a transaction
 * once, which would lose the second grant of grant-revoke-grant.
 */
export function encodeNotification(n: PolicyNotification, nonce?: string): string | undefined {
  let wire: Wire;
  if (n.kind === 'changes')
    wire = { g: n.changes.map((c) => [c.added ? '+' : '-', c.subject, c.role, c.unit]), n: nonce };
  else if (n.kind === 'reload') wire = { reload: true, n: nonce };
  else wire = { sync: n.token };
  const payload = JSON.stringify(wire);
  return Buffer.byteLength(payload, 'utf8') <= MAX_PAYLOAD_BYTES ? payload : undefined;
}

/** Anything unreadable (say the bare 'g' an older instance sends during a rolling upgrade) asks for a full reload. */
export function decodeNotification(payload: string | undefined): PolicyNotification {
  let wire: unknown;
  try {
    wire = JSON.parse(payload ?? '');
  } catch {
    return { kind: 'reload' };
  }
  if (typeof wire !== 'object' || wire === null) return { kind: 'reload' };
  const w = wire as Record<string, unknown>;
  if (typeof w.sync === 'string') return { kind: 'sync', token: w.sync };
  if (!Array.isArray(w.g)) return { kind: 'reload' };
  const changes: AssignmentChange[] = [];
  for (const c of w.g as unknown[]) {
    if (
      !Array.isArray(c) ||
      c.length !== 4 ||
      (c[0] !== '+' && c[0] !== '-') ||
      !c.slice(1).every((v) => typeof v === 'string')
    )
      return { kind: 'reload' };
    changes.push({ added: c[0] === '+', subject: c[1], role: c[2], unit: c[3] });
  }
  return { kind: 'changes', changes };
}
