import { NotAllowedError, NotFoundError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Clock } from '../ports/clock.port.js';
import { ALL_UNITS, type PolicyEnforcer, type RoleAssignment } from '../ports/policy-enforcer.port.js';
import type { SupervisionQueries, UnitSummary, UnitSupervision } from '../ports/supervision.port.js';

/** The global roles that supervise every unit (held in '*'). */
export const SUPERVISING_OFFICES: readonly string[] = ['president-office', 'it-office'];
/** The unit role that supervises its own unit. */
export const UNIT_SUPERVISOR = 'unit-service-admin';

const supervisesAll = (roles: RoleAssignment[]) =>
  roles.some((r) => r.unit === ALL_UNITS && SUPERVISING_OFFICES.includes(r.role));

/**
 * 督办 (Regulation Art. 4(3)3): open and overdue tasks and follow-ups per unit, as of now. A unit's
 * service admins see their unit; the President's Office and the IT Office see every unit.
 */
export class SupervisionUseCase {
  constructor(private readonly deps: { supervision: SupervisionQueries; enforcer: PolicyEnforcer; clock: Clock }) {}

  async unit(input: {
    actor: Actor;
    unitKey: string;
  }): Promise<Result<UnitSupervision & { asOf: string }, NotAllowedError | NotFoundError>> {
    const roles = await this.deps.enforcer.rolesOf({ subject: input.actor.personId });
    if (!supervisesAll(roles) && !roles.some((r) => r.role === UNIT_SUPERVISOR && r.unit === input.unitKey)) {
      return err(
        new NotAllowedError(
          'SUPERVISION.FORBIDDEN',
          `only the unit's service admins and the supervising offices see unit '${input.unitKey}'`,
        ),
      );
    }
    const now = this.deps.clock.now();
    const figures = await this.deps.supervision.unit({ unitKey: input.unitKey, now });
    if (!figures) return err(new NotFoundError('UNIT.NOT_FOUND', `unit '${input.unitKey}' does not exist`));
    return ok({ asOf: now.toISOString(), ...figures });
  }

  async all(input: { actor: Actor }): Promise<Result<{ asOf: string; units: UnitSummary[] }, NotAllowedError>> {
    if (!supervisesAll(await this.deps.enforcer.rolesOf({ subject: input.actor.personId }))) {
      return err(
        new NotAllowedError('SUPERVISION.FORBIDDEN', "only the President's Office and the IT Office see every unit"),
      );
    }
    const now = this.deps.clock.now();
    return ok({ asOf: now.toISOString(), units: await this.deps.supervision.units({ now }) });
  }
}
