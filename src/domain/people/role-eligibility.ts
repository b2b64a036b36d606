import type { FieldProblem } from '../shared/errors.js';
import { notActiveStaff, type Candidate } from './active-staff.js';

export type { Candidate } from './active-staff.js';

/** Roles that administer: they need a current training certification (Art. 17). */
export const ADMIN_ROLES: readonly string[] = ['unit-service-admin', 'it-office'];

export interface Certification {
  course: string;
  passedOn: string;
  expiresOn: string;
}

/**
 * Who may hold a role: only active staff (在职教职工, Art. 6); an admin role also needs a training
 * certification valid on `today` (YYYY-MM-DD). Returns every reason for a refusal.
 */
export function roleEligibility(i: {
  person: Candidate;
  role: string;
  certifications: readonly Certification[];
  today: string;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const why of notActiveStaff(i.person))
    problems.push({ path: '/subject', message: `${why}: only active staff hold roles (Art. 6)` });
  if (ADMIN_ROLES.includes(i.role) && !i.certifications.some((c) => c.passedOn <= i.today && c.expiresOn >= i.today)) {
    problems.push({
      path: '/subject',
      message: `${i.person.id} has no current training certification, which '${i.role}' requires (Art. 17)`,
    });
  }
  return problems;
}
