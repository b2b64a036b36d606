import type { Person } from './organisation.port.js';

/** The university's directory of people (LDAP, or an HR export for universities without LDAP). */
export interface Directory {
  /** Everyone the directory knows, with their current unit and employment status. */
  people(): Promise<Person[]>;
}
