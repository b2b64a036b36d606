/**
 * Tells a failure that means "the database cannot serve now" from any other: 'busy' when every
 * connection stayed taken for the whole bounded wait, 'down' when the database is unreachable or
 * shutting down, null for anything else. Either of the first two is worth a retry later.
 */
export interface DatabaseAvailability {
  unavailable(error: unknown): 'busy' | 'down' | null;
}
