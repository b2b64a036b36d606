import { chinaDate } from '../../domain/calendar/working-calendar.js';
import { roleEligibility } from '../../domain/people/role-eligibility.js';
import { ConflictError, InputError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import { ALL_UNITS, type PolicyEnforcer, type RoleAssignment } from '../ports/policy-enforcer.port.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';

/**
 * Grants a role in the transaction of `scope`: only active staff hold roles, admin roles only with a
 * certification valid today (Art. 6, 17). The grant names the filing (备案) it comes from; one
 * without a filing says so in its audit entry. Every instance's policy learns of it on commit.
 */
export async function grantRole(
  scope: TransactionScope,
  enforcer: PolicyEnforcer,
  g: { actor: Actor; assignment: RoleAssignment; filingId: string | null; at: Date },
): Promise<Result<RoleAssignment, InputError | ConflictError>> {
  const a = { subject: g.assignment.subject, role: g.assignment.role, unit: g.assignment.unit };
  const person = await scope.organisation.person(a.subject);
  if (!person)
    return err(
      new InputError('ROLE.NOT_ELIGIBLE', `no person '${a.subject}'`, [{ path: '/subject', message: 'unknown' }]),
    );
  const problems = roleEligibility({
    person,
    role: a.role,
    certifications: await scope.certifications.of(person.id),
    today: chinaDate(g.at),
  });
  if (problems.length)
    return err(new InputError('ROLE.NOT_ELIGIBLE', `${person.id} may not hold '${a.role}'`, problems));
  if (!(await scope.roleAssignments.grant(a, { filingId: g.filingId })))
    return err(new ConflictError('ROLE.ALREADY_HELD', `${a.subject} already holds '${a.role}' in '${a.unit}'`));
  await recordChange(scope, {
    actor: g.actor,
    action: 'role.granted',
    entityType: 'person',
    entityId: a.subject,
    unit: a.unit === ALL_UNITS ? null : a.unit,
    before: null,
    after: g.filingId ? { ...a, filingId: g.filingId } : { ...a, filingId: null, withoutFiling: true },
    at: g.at,
    event: { ...a, filingId: g.filingId },
  });
  scope.afterCommit(() => enforcer.refresh());
  return ok(a);
}
