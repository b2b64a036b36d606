import { ok, type Result } from '../../domain/shared/result.js';
import type { Clock } from '../ports/clock.port.js';
import type { SessionStore } from '../ports/session-store.port.js';

export class LogoutUseCase {
  constructor(private readonly deps: { sessions: SessionStore; clock: Clock }) {}

  async execute(input: { sessionId: string }): Promise<Result<void, never>> {
    await this.deps.sessions.end(input.sessionId, this.deps.clock.now());
    return ok(undefined);
  }
}
