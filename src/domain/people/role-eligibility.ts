import type { FieldProblem } from '../shared/errors.js';

/** Roles that administer: they need a current training certification (Art. 17). */
export const ADMIN_ROLES: readonly string[] = ['unit-service-admin', 'it-office'];

export interface Candidate { id: string; type: 'staff' | 'student'; status: 'active' | 'left' | 'retired' | 'suspended' }
export interface Certification { course: string; passedOn: string; expiresOn: string }

/**
 * Who may hold a role: only active staff (在职教职工, Art. 6); an admin role also needs a training
 * certification valid on `today` (YYYY-MM-DD). Returns every reason for a refusal.
 */
export function roleEligibility(i: { person: Candidate; role: string; certifications: readonly Certification[]; today: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (i.person.type !== 'staff') problems.push({ path: '/subject', message: `${i.person.id} is not staff: only staff hold roles (Art. 6)` });
  if (i.person.status !== 'active') problems.push({ path: '/subject', message: `${i.person.id} is ${i.person.status}, not active staff (Art. 6)` });
  if (ADMIN_ROLES.includes(i.role) && !i.certifications.some((c) => c.passedOn <= i.today && c.expiresOn >= i.today)) {
    problems.push({ path: '/subject', message: `${i.person.id} has no current training certification, which '${i.role}' requires (Art. 17)` });
  }
  return problems;
}
