import type { Application } from '../../domain/application/application.entity.js';
import { NotFoundError, NotAllowedError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { ApplicationRepository } from '../ports/application.repository.port.js';
import { ALL_UNITS, type PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { ServiceItemRepository } from '../ports/service-item.repository.port.js';

export async function loadApplication(
  repo: ApplicationRepository,
  id: string,
  forUpdate = false,
): Promise<Result<Application, NotFoundError>> {
  const a = await repo.findById(id, { forUpdate });
  return a ? ok(a) : err(new NotFoundError('APPLICATION.NOT_FOUND', `application '${id}' does not exist`));
}

/**
 * Who handles an application: anyone holding or having held one of its tasks, or offered an open
 * one through a role they hold.
 */
export async function handles(enforcer: PolicyEnforcer, person: string, a: Application): Promise<boolean> {
  if (a.tasks.some((t) => t.assignee === person || t.actedBy === person)) return true;
  const roles = await enforcer.rolesOf({ subject: person });
  return a.tasks.some(
    (t) =>
      t.status === 'open' &&
      t.candidate &&
      roles.some((r) => r.role === t.candidate!.role && r.unit === t.candidate!.unit),
  );
}

/**
 * Who may write in an application's history: its applicant and its handlers. Everyone else who
 * may read it (those it was copied to, service admins, the global offices, auditors) only reads.
 */
export async function mayComment(enforcer: PolicyEnforcer, person: string, a: Application): Promise<boolean> {
  return a.applicantId === person || (await handles(enforcer, person, a));
}

/**
 * Who may read an application: its applicant; anyone holding, having held or offered one of its
 * tasks; and, by policy, the service admins of the item's units and the global offices and auditors.
 */
export async function mayRead(
  deps: { enforcer: PolicyEnforcer; items: ServiceItemRepository },
  person: string,
  a: Application,
): Promise<boolean> {
  if (a.applicantId === person || a.current.copiedTo.includes(person)) return true;
  if (await handles(deps.enforcer, person, a)) return true;
  const item = await deps.items.findById(a.current.itemId);
  for (const unit of [ALL_UNITS, ...(item?.involvedUnits ?? [])]) {
    if (await deps.enforcer.can({ subject: person, unit, object: 'application', action: 'read' })) return true;
  }
  return false;
}

export const forbidden = () => err(new NotAllowedError('AUTH.FORBIDDEN', 'you may not see this application'));
