/**
 * A value bound for a jsonb column. The pg driver sends a JS array as a PostgreSQL array literal,
 * which jsonb refuses, so objects and arrays go as JSON text; null stays SQL NULL (not JSON null),
 * as the rows have always been written, and undefined leaves the column out.
 */
export function jsonb(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  return JSON.stringify(value);
}
