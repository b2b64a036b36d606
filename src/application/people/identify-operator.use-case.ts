import { UnauthenticatedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Organisation } from '../ports/organisation.port.js';
import { isActiveStaff } from '../../domain/people/active-staff.js';

/**
 * Who runs a `hall` command: the CLI's sign-in. The operator names themselves and must be active
 * staff in the directory; what they may then do is each use case's decision, as for the API.
 */
export class IdentifyOperatorUseCase {
  constructor(private readonly deps: { organisation: Organisation }) {}

  async execute(input: { personId: string; requestId: string }): Promise<Result<Actor, UnauthenticatedError>> {
    const person = await this.deps.organisation.person(input.personId);
    if (!person || !isActiveStaff(person)) {
      return err(
        new UnauthenticatedError(
          'OPERATOR.NOT_ACTIVE_STAFF',
          `operator '${input.personId}' is not active staff in the directory`,
        ),
      );
    }
    return ok({ personId: input.personId, requestId: input.requestId });
  }
}
