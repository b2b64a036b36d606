export interface Unit {
  key: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: 'office' | 'center' | 'college';
}
export interface Role {
  key: string;
  name: string;
  scope: 'global' | 'unit';
}
export type EmploymentStatus = 'active' | 'left' | 'retired' | 'suspended';
export interface Person {
  id: string;
  name: string;
  type: 'staff' | 'student';
  unit: string;
  status: EmploymentStatus;
  email: string | null;
}

/** The university's units, roles and people as the hall knows them. */
export interface Organisation {
  units(): Promise<Unit[]>;
  roles(): Promise<Role[]>;
  person(id: string): Promise<Person | null>;
  people(ids: readonly string[]): Promise<Person[]>;
  /**
   * The named people as they are on `day` (a civil date), with the substitutes standing in for those
   * of them who are away (time-boxed delegation): `substitutes` maps an absent person to theirs, and
   * `people` holds both. One look-up, for the handlers of a process step.
   */
  onDuty(ids: readonly string[], day: string): Promise<{ people: Person[]; substitutes: Map<string, string> }>;
}
