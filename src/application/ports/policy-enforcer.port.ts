/** Global roles are held in this pseudo-unit. */
export const ALL_UNITS = '*';

export interface RoleAssignment {
  subject: string;
  role: string;
  unit: string;
}

/** Role-based access with unit domains. A unit is always explicit: there is no default domain. */
export interface PolicyEnforcer {
  can(request: { subject: string; unit: string; object: string; action: string }): Promise<boolean>;
  /** The roles a person holds, in every unit and globally. */
  rolesOf(options: { subject: string }): Promise<RoleAssignment[]>;
  /** Who holds a role in a unit (directly assigned). */
  holders(options: { role: string; unit: string }): Promise<string[]>;
  /** After this instance committed a change: resolves once decisions include every change committed before the call (the other instances hear of it by notification). */
  refresh(): Promise<void>;
}
