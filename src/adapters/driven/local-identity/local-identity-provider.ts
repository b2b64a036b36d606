import type { Knex } from 'knex';
import { UnauthenticatedError } from '../../../domain/shared/errors.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { AuthenticatedIdentity, IdentityProvider } from '../../../application/ports/identity-provider.port.js';
import { DUMMY_HASH, verifyPassword } from './password-hash.js';

/** Local accounts: the embedded demo and development default only; SSO adapters replace it in production. */
export class LocalIdentityProvider implements IdentityProvider {
  readonly id = 'local';

  constructor(private readonly knex: Knex) {}

  async authenticate(c: {
    username: string;
    password: string;
  }): Promise<Result<AuthenticatedIdentity, UnauthenticatedError>> {
    const row = (await this.knex('local_accounts').where({ username: c.username }).first()) as
      { person_id: string; password_hash: string } | undefined;
    const matches = await verifyPassword(c.password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !matches)
      return err(new UnauthenticatedError('AUTH.INVALID_CREDENTIALS', 'unknown username or wrong password'));
    return ok({ personId: row.person_id, provider: this.id });
  }
}

/** When an SSO server is configured, local passwords are off unless LOCAL_ACCOUNTS=1. */
export class DisabledIdentityProvider implements IdentityProvider {
  readonly id = 'local';

  async authenticate(): Promise<Result<AuthenticatedIdentity, UnauthenticatedError>> {
    return err(
      new UnauthenticatedError(
        'AUTH.LOCAL_ACCOUNTS_DISABLED',
        "sign in through the university's unified identity authentication",
      ),
    );
  }
}
