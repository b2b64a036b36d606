import { InputError } from '../../domain/shared/errors.js';
import { isActiveStaff } from '../../domain/people/active-staff.js';
import type { Organisation, Person } from '../ports/organisation.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';

/** One task handed over (交接): to the successor, or the pool (`role@unit`) it went back to. */
export interface HandedOverTask {
  applicationId: string;
  caseNumber: string | null;
  taskId: string;
  node: string;
  to: string;
}

/**
 * Hands a person's live tasks, claims and delegations over inside the caller's transaction: to
 * the successor where they can take a task, otherwise back to its pool (a named task to its
 * owning unit's service admins). With `inUnit` only that unit's work moves (a change of post);
 * without it, everything (leaving). Shared by offboarding, post changes and the directory sync.
 */
export async function handOverWork(
  scope: TransactionScope,
  personId: string,
  successor: string | null,
  at: Date,
  inUnit?: string,
): Promise<HandedOverTask[]> {
  const tasks: HandedOverTask[] = [];
  for (const a of await scope.applications.withLiveTasksOf(personId)) {
    const moved = a.handOver(personId, successor, { role: 'unit-service-admin', unit: a.owningUnit }, at, inUnit);
    if (!moved.length) continue;
    await scope.applications.save(a);
    tasks.push(...moved.map((m) => ({ applicationId: a.id, caseNumber: a.current.caseNumber, ...m })));
  }
  return tasks;
}

/**
 * Why `successor` cannot take over `person`'s work, or null when they can: another active staff
 * member; with `unit` (a change of post), also one who belongs to that unit or holds a role in it.
 */
export async function successorProblem(
  deps: { organisation: Organisation; enforcer: PolicyEnforcer },
  person: Person,
  successor: string,
  unit?: string,
): Promise<InputError | null> {
  const s = await deps.organisation.person(successor);
  const bad = (message: string, detail: string) =>
    new InputError('PERSON.BAD_SUCCESSOR', message, [{ path: '/successor', message: detail }]);
  if (!s || !isActiveStaff(s) || s.id === person.id)
    return bad('the successor must be another active staff member', `${successor} is not active staff`);
  if (
    unit !== undefined &&
    s.unit !== unit &&
    !(await deps.enforcer.rolesOf({ subject: s.id })).some((r) => r.unit === unit)
  )
    return bad(`the successor must work in '${unit}' to take over its work`, `${successor} has no post in '${unit}'`);
  return null;
}
