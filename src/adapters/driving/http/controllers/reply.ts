import { InputError, type DomainError } from '../../../../domain/shared/errors.js';
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

/** The problems of the use case, placed where the field was (the query, for a GET). */
export function inQuery<T>(r: T): T {
  const result = r as { ok: boolean; error?: unknown };
  if (!result.ok && result.error instanceof InputError) {
    const e = result.error;
    throw new InputError(
      e.code,
      e.message,
      e.problems.map((p) => ({ ...p, in: 'query' as const })),
    );
  }
  return r;
}
