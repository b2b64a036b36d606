/**
 * The error vocabulary of the core. These look like HTTP errors but are not HTTP:
 * one middleware in the HTTP adapter maps each kind to a status code.
 * Every error carries a stable `code` such as 'SERVICE_ITEM.NOT_ONLINE'.
 */
export interface FieldProblem {
  /** JSON-pointer-like path of the offending field, e.g. '/nodes/2/handlers/role'. */
  readonly path: string;
  readonly message: string;
  /** Where the field was, when that is not the input's body: a request parameter or header. */
  readonly in?: 'body' | 'query' | 'header' | 'path';
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'input' | 'not-found' | 'conflict' | 'not-allowed' | 'unauthenticated' | 'rate-limited';
  constructor(
    readonly code: string,
    message: string,
    /** Extra machine-readable members for the problem document (e.g. the gate's missing list). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed or breaks a rule of the input; lists every offending field. */
export class InputError extends DomainError {
  readonly kind = 'input' as const;
  constructor(
    code: string,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
}

/** The request is valid but conflicts with the current state. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

/** The caller is known but may not do this. */
export class NotAllowedError extends DomainError {
  readonly kind = 'not-allowed' as const;
}

/** The caller is not (or no longer) signed in. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
}

/** Too many attempts (e.g. failed logins); `details.retryAfterSeconds` says when to try again. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate-limited' as const;
}
