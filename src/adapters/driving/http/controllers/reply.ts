import type { DomainError } from '../../../../domain/shared/errors.js';
import type { Result } from '../../../../domain/shared/result.js';
import type { HttpReply, RequestContext } from '../route.js';
import type { Actor } from '../../../../application/ports/actor.js';

/** A business failure becomes a problem document via the error middleware. */
export function reply<T>(result: Result<T, DomainError>, status = 200): HttpReply {
  if (!result.ok) throw result.error;
  return { status, body: result.value };
}

export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new Error('route declared without auth uses the actor');
  return ctx.actor;
}
