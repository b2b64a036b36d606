import { AndFilter, Client, EqualityFilter, InvalidCredentialsError } from 'ldapts';
import { UnauthenticatedError } from '../../../domain/shared/errors.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { AuthenticatedIdentity, IdentityProvider } from '../../../application/ports/identity-provider.port.js';

export interface LdapConfig {
  url: string;
  /** Service account for look-ups. */
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  /** What people type to sign in (uid). */
  loginAttribute: string;
  /** Where the staff/student number is (employeeNumber). */
  idAttribute: string;
  timeoutMs: number;
}

const refused = () => err(new UnauthenticatedError('AUTH.INVALID_CREDENTIALS', 'unknown username or wrong password'));

/**
 * LDAP sign-in: the service account finds exactly one person by login name — the value goes into
 * the filter escaped per RFC 4515 (ldapts' filter objects), never concatenated — then the hall binds
 * as that person with the password given. An empty password is refused before any bind: LDAP would
 * treat it as an anonymous bind and succeed.
 */
export class LdaptsIdentityProvider implements IdentityProvider {
  readonly id = 'ldap';

  constructor(private readonly config: LdapConfig) {}

  async authenticate(c: {
    username: string;
    password: string;
  }): Promise<Result<AuthenticatedIdentity, UnauthenticatedError>> {
    if (!c.password || !c.username || [...c.username].some((ch) => ch.charCodeAt(0) < 0x20)) return refused();
    const client = new Client({
      url: this.config.url,
      timeout: this.config.timeoutMs,
      connectTimeout: this.config.timeoutMs,
    });
    try {
      await client.bind(this.config.bindDn, this.config.bindPassword);
      const filter = new AndFilter({
        filters: [
          new EqualityFilter({ attribute: 'objectClass', value: 'inetOrgPerson' }),
          new EqualityFilter({ attribute: this.config.loginAttribute, value: c.username }),
        ],
      });
      const { searchEntries } = await client.search(this.config.baseDn, {
        scope: 'sub',
        filter,
        attributes: [this.config.idAttribute],
        sizeLimit: 2,
      });
      if (searchEntries.length !== 1) return refused();
      const entry = searchEntries[0]!;
      const raw = entry[this.config.idAttribute];
      const personId = Array.isArray(raw) ? String(raw[0] ?? '') : raw === undefined ? '' : String(raw);
      if (!personId) return refused();
      await client.unbind();
      await client.bind(entry.dn, c.password);
      return ok({ personId, provider: this.id });
    } catch (e) {
      if (e instanceof InvalidCredentialsError) return refused();
      return err(
        new UnauthenticatedError(
          'AUTH.LDAP_UNAVAILABLE',
          `the directory could not be reached: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}
