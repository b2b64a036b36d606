import { SchemaMigrationsUseCase } from '../../application/operations/schema-migrations.use-case.js';
import { createKnex } from '../driven/knex/knex-database.js';
import { KnexSchemaMigrations } from '../driven/knex/migration-source.js';

/**
 * For `hall db status|migrate`: the schema's use case on one connection, without the container,
 * whose start-up reads tables a database not yet migrated does not have.
 */
export function buildSchemaContainer(databaseUrl: string): {
  useCases: { schemaMigrations: SchemaMigrationsUseCase };
  dispose(): Promise<void>;
} {
  const knex = createKnex(databaseUrl, 1);
  return {
    useCases: { schemaMigrations: new SchemaMigrationsUseCase({ schema: new KnexSchemaMigrations(knex) }) },
    dispose: () => knex.destroy(),
  };
}
