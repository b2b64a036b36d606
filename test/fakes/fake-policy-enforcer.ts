import {
  ALL_UNITS,
  type PolicyEnforcer,
  type RoleAssignment,
} from '../../src/application/ports/policy-enforcer.port.js';

/** A `p` rule: a role may do an action on an object in a unit ('*': wherever the role is held). */
export interface Policy {
  role: string;
  unit: string;
  object: string;
  action: string;
}

const everywhere = (role: string, object: string, actions: string[]): Policy[] =>
  actions.map((action) => ({ role, unit: ALL_UNITS, object, action }));

/**
 * The hall's default permissions, as the migrations write them into casbin_rule (core, applications,
 * permissions, working calendar, job admin). A migration that changes them should change this too;
 * the e2e tests would show the drift.
 */
export const HALL_POLICIES: readonly Policy[] = [
  ...everywhere('unit-service-admin', 'service-item', [
    'apply',
    'define',
    'confirm',
    'launch',
    'request-change',
    'request-offboarding',
    'read',
  ]),
  ...everywhere('president-office', 'service-item', ['decide', 'read']),
  ...everywhere('it-office', 'service-item', ['decide', 'read', 'launch']),
  ...everywhere('it-office', 'change-request', ['decide']),
  ...everywhere('unit-service-admin', 'role-filing', ['file', 'read']),
  ...everywhere('it-office', 'role-filing', ['decide', 'read']),
  ...everywhere('auditor', 'role-filing', ['read']),
  ...everywhere('auditor', 'service-item', ['read']),
  ...everywhere('auditor', 'audit', ['read', 'export']),
  ...everywhere('it-office', 'audit', ['read', 'export']),
  ...['unit-service-admin', 'it-office', 'president-office', 'auditor'].flatMap((role) =>
    everywhere(role, 'application', ['read']),
  ),
  // the owning unit's service admins and the IT Office search, cancel (撤销) and reassign (改派)
  ...['unit-service-admin', 'it-office'].flatMap((role) => everywhere(role, 'application', ['manage'])),
  ...everywhere('it-office', 'role-assignment', ['grant', 'revoke', 'read']),
  ...everywhere('it-office', 'certification', ['record']),
  ...everywhere('it-office', 'calendar', ['edit']),
  ...everywhere('it-office', 'jobs', ['manage']),
];

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A blank unit would be a silent default domain: refused loudly, as the real enforcer refuses it. */
function required(name: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error(`policy enforcer: ${name} must be given (got ${JSON.stringify(value)})`);
}

/**
 * RBAC with unit domains as the CasbinPolicyEnforcer decides it (rbac-with-domains.model.ts): a
 * role held in the request's unit, or globally ('*'), grants its permissions there; a request for
 * '*' succeeds only through global roles. Decisions come from the assignments it last loaded:
 * `refresh()` reloads them from `source` (the committed role assignments), as the real one learns
 * of a committed change — so a use case that forgets to refresh after a grant is caught.
 */
export class FakePolicyEnforcer implements PolicyEnforcer {
  private assignments: RoleAssignment[] = [];
  refreshes = 0;

  constructor(private readonly o: { source: () => readonly RoleAssignment[]; policies?: readonly Policy[] }) {
    this.reload();
  }

  async can(r: { subject: string; unit: string; object: string; action: string }): Promise<boolean> {
    required('unit', r.unit);
    required('subject', r.subject);
    return (this.o.policies ?? HALL_POLICIES).some(
      (p) =>
        p.object === r.object &&
        p.action === r.action &&
        (p.unit === ALL_UNITS || p.unit === r.unit) &&
        (this.holds(r.subject, p.role, r.unit) || this.holds(r.subject, p.role, ALL_UNITS)),
    );
  }

  /** By unit, then role. */
  async rolesOf(o: { subject: string }): Promise<RoleAssignment[]> {
    required('subject', o.subject);
    return this.assignments
      .filter((a) => a.subject === o.subject)
      .map((a) => ({ ...a }))
      .sort((a, b) => compare(a.unit, b.unit) || compare(a.role, b.role));
  }

  /** Sorted. */
  async holders(o: { role: string; unit: string }): Promise<string[]> {
    required('role', o.role);
    required('unit', o.unit);
    return this.assignments
      .filter((a) => a.role === o.role && a.unit === o.unit)
      .map((a) => a.subject)
      .sort(compare);
  }

  async refresh(): Promise<void> {
    this.refreshes++;
    this.reload();
  }

  /** Loads the committed assignments now (what every instance does at start-up). */
  reload(): void {
    this.assignments = this.o.source().map((a) => ({ subject: a.subject, role: a.role, unit: a.unit }));
  }

  private holds(subject: string, role: string, unit: string): boolean {
    return this.assignments.some((a) => a.subject === subject && a.role === role && a.unit === unit);
  }
}
