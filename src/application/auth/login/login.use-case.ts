import { UnauthenticatedError } from '../../../domain/shared/errors.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { Clock } from '../../ports/clock.port.js';
import type { IdentityProvider } from '../../ports/identity-provider.port.js';
import type { Organisation } from '../../ports/organisation.port.js';
import type { SessionStore } from '../../ports/session-store.port.js';

/** Signs a person in through the configured identity provider; only active people get a session. */
export class LoginUseCase {
  constructor(private readonly deps: { identity: IdentityProvider; sessions: SessionStore; organisation: Organisation; clock: Clock }) {}

  async execute(input: { username: string; password: string }):
    Promise<Result<{ token: string; expiresAt: string; person: { id: string; name: string; unit: string; type: string } }, UnauthenticatedError>> {
    const who = await this.deps.identity.authenticate(input);
    if (!who.ok) return who;
    const person = await this.deps.organisation.person(who.value.personId);
    if (!person || person.status !== 'active') {
      return err(new UnauthenticatedError('AUTH.ACCOUNT_DISABLED', 'this account is disabled'));
    }
    const { token, session } = await this.deps.sessions.open({ personId: person.id, provider: who.value.provider, at: this.deps.clock.now() });
    return ok({ token, expiresAt: session.expiresAt.toISOString(), person: { id: person.id, name: person.name, unit: person.unit, type: person.type } });
  }
}
