import type { UnauthenticatedError } from '../../domain/shared/errors.js';
import type { Result } from '../../domain/shared/result.js';

export interface SsoIdentity { personId: string; provider: string; attributes: Record<string, string>; externalRef: string }

/** A redirect-based single sign-on server (CAS now; OpenID Connect to come). */
export interface SsoProvider {
  readonly id: string;
  /** Where to send the browser to sign in; it comes back to the callback with proof (a ticket). */
  loginUrl(options: { returnTo?: string }): string;
  /** Verifies the proof the callback received with the SSO server. */
  complete(options: { query: Record<string, string | undefined> }): Promise<Result<SsoIdentity, UnauthenticatedError>>;
  /** The server-side reference a single-logout request names, or null when it is not one. */
  logoutReference(body: Record<string, string | undefined>): string | null;
}
export const SSO_PROVIDER = Symbol.for('core.ssoProvider');
