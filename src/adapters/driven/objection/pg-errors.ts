import { ConflictError } from '../../../domain/shared/errors.js';

/** Translates driver errors at the boundary: a unique violation is a conflict, not a crash. */
export function translatePgError(e: unknown, conflictCode: string, message: string): never {
  const code = (e as { code?: string; nativeError?: { code?: string } })?.code ?? (e as { nativeError?: { code?: string } })?.nativeError?.code;
  if (code === '23505') throw new ConflictError(conflictCode, message);
  throw e;
}
