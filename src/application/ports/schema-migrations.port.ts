/** The database schema's migrations: which have run, which are waiting, and running them. */
export interface SchemaMigrations {
  /** Names of the migrations that have run, in order (none on an empty database). */
  applied(): Promise<string[]>;
  /** Names of the migrations that exist but have not run. Throws when the database cannot be reached. */
  pending(): Promise<string[]>;
  /** Runs every pending migration; the names of those it ran. */
  migrate(): Promise<string[]>;
}
