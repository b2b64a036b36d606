import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { Organisation, Person } from '../ports/organisation.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';

export type WhoAmI = Partial<Person> & { roles: Array<{ role: string; unit: string }> };

/** The signed-in person as the directory knows them, and the roles they hold. */
export class WhoAmIUseCase {
  constructor(private readonly deps: { organisation: Organisation; enforcer: PolicyEnforcer }) {}

  async execute(input: { actor: Actor }): Promise<Result<WhoAmI, never>> {
    const subject = input.actor.personId;
    const [person, roles] = await Promise.all([
      this.deps.organisation.person(subject),
      this.deps.enforcer.rolesOf({ subject }),
    ]);
    return ok({ ...person, roles: roles.map(({ role, unit }) => ({ role, unit })) });
  }
}
