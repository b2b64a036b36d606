import type { UnauthenticatedError } from '../../domain/shared/errors.js';
import type { Result } from '../../domain/shared/result.js';

export interface AuthenticatedIdentity {
  personId: string;
  provider: string;
}

/** Verifies credentials with an identity source (local accounts now; CAS, OIDC, LDAP later). */
export interface IdentityProvider {
  readonly id: string;
  authenticate(credentials: {
    username: string;
    password: string;
  }): Promise<Result<AuthenticatedIdentity, UnauthenticatedError>>;
}
