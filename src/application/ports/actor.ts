/** Who is acting and under which request: carried into every audit entry. */
export interface Actor {
  personId: string;
  requestId: string;
}
