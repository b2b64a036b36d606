import { UnauthenticatedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import type { SessionStore } from '../ports/session-store.port.js';

/** Who is calling: the person whose live session a token stands for. */
export class AuthenticateUseCase {
  constructor(private readonly deps: { sessions: SessionStore; clock: Clock }) {}

  async execute(input: {
    token: string | undefined;
    requestId: string;
  }): Promise<Result<{ actor: Actor; sessionId: string }, UnauthenticatedError>> {
    const session = input.token ? await this.deps.sessions.resolve(input.token, this.deps.clock.now()) : null;
    if (!session) {
      return err(
        new UnauthenticatedError(
          'AUTH.REQUIRED',
          input.token
            ? 'the session token is invalid or has expired'
            : 'sign in first: send Authorization: Bearer <token>',
        ),
      );
    }
    return ok({ actor: { personId: session.personId, requestId: input.requestId }, sessionId: session.id });
  }
}
