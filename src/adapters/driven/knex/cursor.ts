import type { Knex } from 'knex';
import { InputError } from '../../../domain/shared/errors.js';

/**
 * Opaque cursors for keyset pagination: base64url JSON `{ k: key }`. A cursor comes back from the
 * client, so it is read like any input: each kind of key is decoded and checked to be exactly what
 * this API issues (a sequence number, a service item code, a timestamp and a uuid) before it
 * reaches a query; anything else is a 400 naming the `cursor` parameter, never a database error.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]{1,400}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Date.prototype.toISOString, years 0000-9999 (PostgreSQL's timestamptz takes all of them). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** bigint sequences: at most 18 digits stays below 2^63. */
const SEQ = /^(0|[1-9]\d{0,17})$/;
/** Service item codes as the domain allows them, with room to spare; never control characters. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function badCursor(message = 'not a cursor issued by this API'): InputError {
  return new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { in: 'query', path: '/cursor', message },
  ]);
}

/** The key of a cursor this API issued, or a 400. */
export function decodeCursor(cursor: string): string {
  if (!BASE64URL.test(cursor)) throw badCursor();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const k = (v as { k?: unknown } | null)?.k;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof k !== 'string') throw badCursor();
  return k;
}

/** A cursor after a sequence number (audit entries, application history). */
export function decodeSeqCursor(cursor: string): string {
  const k = decodeCursor(cursor);
  if (!SEQ.test(k)) throw badCursor();
  return k;
}

/** A cursor after a service item code (item lists and the catalogue, ordered by code). */
export function decodeCodeCursor(cursor: string): string {
  const k = decodeCursor(cursor);
  if (!CODE.test(k)) throw badCursor();
  return k;
}

/** A cursor issued by encodeInstantIdCursor: lists in (created_at, id) order. */
export function encodeInstantIdCursor(at: Date, id: string): string {
  return encodeCursor(`${at.toISOString()}|${id}`);
}

/** The instant and uuid of a (created_at, id) cursor, both checked to be real ones. */
export function decodeInstantIdCursor(cursor: string): { at: string; id: string } {
  const [at = '', id = '', ...rest] = decodeCursor(cursor).split('|');
  if (rest.length || !UUID.test(id) || !ISO_INSTANT.test(at)) throw badCursor();
  const parsed = new Date(at);
  // 2026-02-31T… matches the pattern but is no date: only a real instant round-trips
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== at) throw badCursor();
  return { at, id };
}

/**
 * A page of `q` newest first by (`column`, id), after the cursor of the page before: the rows of
 * this page, and the cursor of the next (null on the last).
 */
export async function newestFirstPage<R extends { id: string }>(
  q: Knex.QueryBuilder,
  column: string,
  at: (row: R) => Date,
  o: { limit: number; cursor?: string },
): Promise<{ rows: R[]; nextCursor: string | null }> {
  q.orderBy([
    { column, order: 'desc' },
    { column: 'id', order: 'desc' },
  ]).limit(o.limit + 1);
  if (o.cursor) {
    const c = decodeInstantIdCursor(o.cursor);
    q.where((w) =>
      w
        .where(column, '<', new Date(c.at))
        .orWhere((x) => x.where(column, '=', new Date(c.at)).andWhere('id', '<', c.id)),
    );
  }
  const rows = (await q) as R[];
  const page = rows.slice(0, o.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > o.limit && last ? encodeInstantIdCursor(at(last), last.id) : null };
}
