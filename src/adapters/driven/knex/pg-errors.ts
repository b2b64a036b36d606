import { ConflictError } from '../../../domain/shared/errors.js';

type PgError = { code?: string; constraint?: string; nativeError?: { code?: string; constraint?: string } };

/**
 * Translates driver errors at the boundary: a unique violation is a conflict, not a crash. Each
 * constraint the caller names maps to its own code; any other unique violation is a generic conflict.
 */
export function translatePgError(e: unknown, byConstraint: Record<string, { code: string; message: string }>): never {
  const pgError = e as PgError;
  const code = pgError?.code ?? pgError?.nativeError?.code;
  if (code === '23505') {
    const known = byConstraint[pgError.constraint ?? pgError.nativeError?.constraint ?? ''];
    throw known
      ? new ConflictError(known.code, known.message)
      : new ConflictError('PERSISTENCE.DUPLICATE', 'this record already exists');
  }
  throw e;
}
