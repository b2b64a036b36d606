import type { Certification } from '../../domain/people/role-eligibility.js';
import type { RoleAssignment } from './policy-enforcer.port.js';

/**
 * Writes role assignments, bound to the unit of work's transaction; every instance's policy
 * enforcer learns of the change when it commits.
 */
export interface RoleAssignments {
  grant(a: RoleAssignment): Promise<boolean>;
  revoke(a: RoleAssignment): Promise<boolean>;
  list(options: { subject?: string; unit?: string; role?: string }): Promise<RoleAssignment[]>;
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
