import { InputError } from '../../../domain/shared/errors.js';

/** Opaque cursors for keyset pagination. */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string') return v.k;
  } catch {
    /* reported below */
  }
  throw new InputError('PAGINATION.BAD_CURSOR', 'The cursor is not valid', [
    { path: '/cursor', message: 'not a cursor issued by this API' },
  ]);
}
