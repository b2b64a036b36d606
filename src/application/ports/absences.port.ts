export interface Absence {
  personId: string;
  substituteId: string;
  from: string;
  to: string;
}

/** Who is away when, and who stands in (time-boxed delegation). Dates are civil dates, inclusive. */
export interface Absences {
  set(a: Absence, at: Date): Promise<void>;
  clear(personId: string): Promise<boolean>;
}
