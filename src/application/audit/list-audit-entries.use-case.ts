import { NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { AuditEntry, AuditFilters, AuditTrail } from '../ports/audit-log.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { Page } from '../ports/service-item.repository.port.js';

/** The audit log, newest first, filtered, a page at a time: for auditors and the IT Office only. */
export class ListAuditEntriesUseCase {
  constructor(private readonly deps: { auditTrail: AuditTrail; enforcer: PolicyEnforcer }) {}

  async execute(
    input: AuditFilters & { actor: Actor; limit: number; cursor?: string },
  ): Promise<Result<Page<AuditEntry>, NotAllowedError>> {
    const { actor, ...filters } = input;
    if (
      !(await this.deps.enforcer.can({ subject: actor.personId, unit: ALL_UNITS, object: 'audit', action: 'read' }))
    ) {
      return err(new NotAllowedError('AUTH.FORBIDDEN', 'only auditors and the IT Office read the audit log'));
    }
    return ok(await this.deps.auditTrail.list(filters));
  }
}
