export interface Unit { key: string; code: string; name: string; nameEn: string | null; kind: 'office' | 'center' | 'college' }
export interface Role { key: string; name: string; scope: 'global' | 'unit' }
export type EmploymentStatus = 'active' | 'left' | 'retired' | 'suspended';
export interface Person { id: string; name: string; type: 'staff' | 'student'; unit: string; status: EmploymentStatus; email: string | null }

/** The university's units, roles and people as the hall knows them. */
export interface Organisation {
  units(): Promise<Unit[]>;
  roles(): Promise<Role[]>;
  person(id: string): Promise<Person | null>;
  people(ids: readonly string[]): Promise<Person[]>;
}
export const ORGANISATION = Symbol.for('core.organisation');
