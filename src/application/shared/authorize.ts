import { NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';

export async function authorize(
  enforcer: PolicyEnforcer,
  actor: Actor,
  request: { unit: string; object: string; action: string },
): Promise<Result<void, NotAllowedError>> {
  if (await enforcer.can({ subject: actor.personId, ...request })) return ok(undefined);
  return err(
    new NotAllowedError('AUTH.FORBIDDEN', `you may not ${request.action} ${request.object} in unit '${request.unit}'`),
  );
}

/** Allowed if any of the units allows it (e.g. the owning unit or any involved unit). */
export async function authorizeAny(
  enforcer: PolicyEnforcer,
  actor: Actor,
  request: { units: readonly string[]; object: string; action: string },
): Promise<Result<void, NotAllowedError>> {
  for (const unit of request.units) {
    if (await enforcer.can({ subject: actor.personId, unit, object: request.object, action: request.action }))
      return ok(undefined);
  }
  return err(new NotAllowedError('AUTH.FORBIDDEN', `you may not ${request.action} this ${request.object}`));
}

/**
 * Where the actor may do `action` on `object`: 'all' through a university-wide role, else the units
 * of their roles that allow it (none for most people). For lists filtered by unit.
 */
export async function unitsWhere(
  enforcer: PolicyEnforcer,
  actor: Actor,
  request: { object: string; action: string },
): Promise<string[] | 'all'> {
  const subject = actor.personId;
  if (await enforcer.can({ subject, unit: ALL_UNITS, ...request })) return 'all';
  const units: string[] = [];
  for (const unit of new Set((await enforcer.rolesOf({ subject })).map((r) => r.unit)))
    if (unit !== ALL_UNITS && (await enforcer.can({ subject, unit, ...request }))) units.push(unit);
  return units;
}
