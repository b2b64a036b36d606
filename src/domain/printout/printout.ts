/**
 * 办事凭证: what a printout of a completed application says, in a form that can be signed. The
 * signature covers `canonicalBytes(content)` only, so the same content always signs the same way,
 * whatever renders it; a short verification code leads to the online check.
 */
export const PRINTOUT_FORMAT = 'hall-printout/1';

export interface PrintoutTrailEntry {
  /** ISO 8601 instant. */
  at: string;
  /** The process node (环节), by its name. */
  node: string;
  /** Who acted, by name. */
  actor: string;
  action: string;
  comment: string | null;
}

export interface PrintoutContent {
  format: typeof PRINTOUT_FORMAT;
  /** The verification code, normalised (`K7Q2-9MXD-4HTR`). */
  code: string;
  caseNumber: string;
  service: { code: string; name: string };
  applicant: { name: string; unit: string | null };
  result: string;
  /** ISO 8601 instant. */
  issuedAt: string;
  trail: PrintoutTrailEntry[];
}

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };

/**
 * Deterministic JSON: object keys sorted by UTF-16 code units, no whitespace, strings escaped as
 * JSON.stringify does. Properties whose value is undefined are left out, as JSON.stringify does;
 * numbers must be finite.
 */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: Json) => canonicalJson(v)).join(',')}]`;
  const object = value as { readonly [key: string]: Json | undefined };
  const members = Object.keys(object)
    .sort()
    .flatMap((k) => {
      const v = object[k];
      return v === undefined ? [] : [`${JSON.stringify(k)}:${canonicalJson(v)}`];
    });
  return `{${members.join(',')}}`;
}

/** The bytes that are signed: the canonical JSON of the content, UTF-8. */
export function canonicalBytes(content: PrintoutContent): Uint8Array {
  return new TextEncoder().encode(canonicalJson(content as unknown as Json));
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOnly = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));

/**
 * The content from parsed JSON, or null when it is not a well-formed printout of this format
 * (unknown or missing fields, wrong types, a code that is not a verification code).
 */
export function parsePrintoutContent(value: unknown): PrintoutContent | null {
  if (
    !isRecord(value) ||
    !hasOnly(value, ['format', 'code', 'caseNumber', 'service', 'applicant', 'result', 'issuedAt', 'trail'])
  )
    return null;
  const { format, code, caseNumber, service, applicant, result, issuedAt, trail } = value;
  if (format !== PRINTOUT_FORMAT || !isString(code) || normaliseVerificationCode(code) !== code) return null;
  if (!isString(caseNumber) || !isString(result) || !isString(issuedAt)) return null;
  if (!isRecord(service) || !hasOnly(service, ['code', 'name']) || !isString(service.code) || !isString(service.name))
    return null;
  if (
    !isRecord(applicant) ||
    !hasOnly(applicant, ['name', 'unit']) ||
    !isString(applicant.name) ||
    !(applicant.unit === null || isString(applicant.unit))
  )
    return null;
  if (!Array.isArray(trail)) return null;
  const entries: PrintoutTrailEntry[] = [];
  for (const e of trail as unknown[]) {
    if (!isRecord(e) || !hasOnly(e, ['at', 'node', 'actor', 'action', 'comment'])) return null;
    if (
      !isString(e.at) ||
      !isString(e.node) ||
      !isString(e.actor) ||
      !isString(e.action) ||
      !(e.comment === null || isString(e.comment))
    )
      return null;
    entries.push({ at: e.at, node: e.node, actor: e.actor, action: e.action, comment: e.comment });
  }
  return {
    format,
    code,
    caseNumber,
    service: { code: service.code, name: service.name },
    applicant: { name: applicant.name, unit: applicant.unit },
    result,
    issuedAt,
    trail: entries,
  };
}

/** Crockford's base32: digits and letters without I, L, O and U. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;
const GROUP = 4;

/** 12 symbols (60 random bits) in groups of four: `K7Q2-9MXD-4HTR`. Needs at least 8 random bytes. */
export function newVerificationCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < Math.ceil((CODE_LENGTH * 5) / 8))
    throw new RangeError(`a verification code needs at least ${Math.ceil((CODE_LENGTH * 5) / 8)} random bytes`);
  let symbols = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of randomBytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && symbols.length < CODE_LENGTH) {
      bits -= 5;
      symbols += ALPHABET[(buffer >> bits) & 31];
    }
    if (symbols.length === CODE_LENGTH) break;
  }
  return group(symbols);
}

function group(symbols: string): string {
  const parts: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) parts.push(symbols.slice(i, i + GROUP));
  return parts.join('-');
}

/**
 * A code as typed (any case, with or without dashes or spaces; I and L read as 1, O as 0, as
 * Crockford's base32 decodes) in its printed form, or null when it cannot be a verification code.
 */
export function normaliseVerificationCode(input: string): string | null {
  const symbols = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (symbols.length !== CODE_LENGTH || [...symbols].some((c) => !ALPHABET.includes(c))) return null;
  return group(symbols);
}

export function isVerificationCode(input: string): boolean {
  return normaliseVerificationCode(input) !== null;
}
