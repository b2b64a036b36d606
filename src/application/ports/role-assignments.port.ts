import type { Certification } from '../../domain/people/role-eligibility.js';
import type { RoleFiling, RoleFilingState } from '../../domain/people/role-filing.js';
import type { RoleAssignment } from './policy-enforcer.port.js';
import type { Page } from './service-item.repository.port.js';

/** A role held, and the filing (备案) it was granted from: null when granted without one. */
export interface HeldRole extends RoleAssignment {
  filingId: string | null;
}

/** Who holds what where, without where it came from (for reports of what was revoked). */
export const assignmentOf = ({ subject, role, unit }: RoleAssignment): RoleAssignment => ({ subject, role, unit });

/**
 * Writes role assignments, bound to the unit of work's transaction; every instance's policy
 * enforcer learns of the change when it commits.
 */
export interface RoleAssignments {
  /** False when the role is already held; `filingId` names the filing the grant comes from. */
  grant(a: RoleAssignment, from?: { filingId: string | null }): Promise<boolean>;
  revoke(a: RoleAssignment): Promise<boolean>;
  list(options: { subject?: string; unit?: string; role?: string }): Promise<HeldRole[]>;
}

/** Filings (备案) of role assignments by the units, newest first. */
export interface RoleFilings {
  add(filing: RoleFiling): Promise<void>;
  findById(id: string, options?: { forUpdate?: boolean }): Promise<RoleFiling | null>;
  save(filing: RoleFiling): Promise<void>;
  list(options: {
    states?: RoleFilingState[];
    /** The filing units listed. */
    units: string[] | 'all';
    subject?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<RoleFiling>>;
}

export interface CertificationRecord extends Certification {
  id: string;
  personId: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface Certifications {
  add(c: CertificationRecord): Promise<void>;
  of(personId: string): Promise<CertificationRecord[]>;
}
