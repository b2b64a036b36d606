import { NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { DataRead, ReadTrail } from '../ports/read-trail.port.js';
import type { Page } from '../ports/service-item.repository.port.js';

/**
 * Who read a person's data (their applications' forms, attachments, printouts), newest first, a page
 * at a time: for auditors and the IT Office only, as the audit log is. Reads still on their way to
 * the database are written first, so the answer holds every read made before it.
 */
export class ListDataReadsUseCase {
  constructor(private readonly deps: { readTrail: ReadTrail; enforcer: PolicyEnforcer }) {}

  async execute(input: {
    actor: Actor;
    personId: string;
    limit: number;
    cursor?: string;
  }): Promise<Result<Page<DataRead & { id: string }>, NotAllowedError>> {
    if (
      !(await this.deps.enforcer.can({
        subject: input.actor.personId,
        unit: ALL_UNITS,
        object: 'audit',
        action: 'read',
      }))
    ) {
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only auditors and the IT Office read who read whose data'));
    }
    await this.deps.readTrail.flush();
    return ok(await this.deps.readTrail.list({ subjectId: input.personId, limit: input.limit, cursor: input.cursor }));
  }
}
