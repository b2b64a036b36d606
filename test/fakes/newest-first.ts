import { InputError } from '../../src/domain/shared/errors.js';

/**
 * Newest first by (instant, id), paged after a cursor as the knex adapters page (newestFirstPage):
 * the cursor holds the last row's key; a forged one is refused as a 400 naming `cursor`.
 */
export function newestFirst<R extends { id: string }>(
  rows: readonly R[],
  at: (r: R) => string,
  o: { limit: number; cursor?: string },
): { rows: R[]; nextCursor: string | null } {
  const keyOf = (r: R) => `${at(r)}|${r.id}`;
  const after = o.cursor === undefined ? undefined : keyIn(o.cursor);
  const sorted = rows
    .filter((r) => after === undefined || keyOf(r) < after)
    .sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : keyOf(a) > keyOf(b) ? -1 : 0));
  const page = sorted.slice(0, o.limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor:
      sorted.length > o.limit && last ? Buffer.from(JSON.stringify({ k: keyOf(last) })).toString('base64url') : null,
  };
}

function keyIn(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string' && v.k.includes('|')) return v.k;
  } catch {
    /* refused below */
  }
  throw new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { path: '/cursor', message: 'not a cursor issued by this API' },
  ]);
}
