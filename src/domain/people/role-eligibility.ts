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

/**
 * The last day (YYYY-MM-DD) a person's certifications cover without a gap from `today` on: the
 * latest expiry of those valid today, extended by any that starts by the day after it ends. Null
 * when none is valid today: an admin role then lapses (Art. 17).
 */
export function certifiedThrough(certifications: readonly Certification[], today: string): string | null {
  const valid = certifications.filter((c) => c.passedOn <= today && c.expiresOn >= today);
  if (!valid.length) return null;
  let through = valid.reduce((last, c) => (c.expiresOn > last ? c.expiresOn : last), today);
  for (let extended = true; extended;) {
    extended = false;
    for (const c of certifications) {
      if (c.passedOn <= addDays(through, 1) && c.expiresOn > through) {
        through = c.expiresOn;
        extended = true;
      }
    }
  }
  return through;
}

/** Whole days from `from` to `to` (YYYY-MM-DD each): negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The date `n` days after `date` (YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
