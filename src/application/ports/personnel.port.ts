import type { EmploymentStatus, Person } from './organisation.port.js';

/** Changes to people the hall keeps, bound to the unit of work's transaction. */
export interface PersonnelRecords {
  all(): Promise<Person[]>;
  upsert(person: Person, at: Date): Promise<void>;
  setStatus(personId: string, status: EmploymentStatus, at: Date): Promise<void>;
  /** Ends every live session of the person; returns how many. */
  endSessions(personId: string, at: Date): Promise<number>;
}
