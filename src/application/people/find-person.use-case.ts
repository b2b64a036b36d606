import { ok, type Result } from '../../domain/shared/result.js';
import type { Organisation, Person } from '../ports/organisation.port.js';

/** A person as the directory holds them (status included), or null when the hall does not know them. */
export class FindPersonUseCase {
  constructor(private readonly deps: { organisation: Organisation }) {}

  async execute(input: { personId: string }): Promise<Result<Person | null, never>> {
    return ok(await this.deps.organisation.person(input.personId));
  }
}
