import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Knex } from 'knex';
import type { SchemaMigrations } from '../../../application/ports/schema-migrations.port.js';

/**
 * Reads migrations from the top-level migrations/ folder (dist/migrations once built) and records
 * them without their extension, so a database migrated from the .ts sources (development) and
 * one migrated from the compiled .js files (production) agree on what has run.
 */
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../migrations/', import.meta.url));

interface MigrationFile {
  name: string;
  file: string;
}

export class HallMigrationSource implements Knex.MigrationSource<MigrationFile> {
  constructor(private readonly dir: string = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<MigrationFile[]> {
    const files = (await readdir(this.dir)).filter(
      (f) => /^\d{14}_[a-z0-9_]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'),
    );
    return files
      .map((file) => ({ name: file.replace(/\.(ts|js)$/, ''), file }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  getMigrationName(m: MigrationFile): string {
    return m.name;
  }

  async getMigration(m: MigrationFile): Promise<Knex.Migration> {
    return import(pathToFileURL(path.join(this.dir, m.file)).href) as Promise<Knex.Migration>;
  }
}

export const migrationConfig = (): Knex.MigratorConfig => ({
  migrationSource: new HallMigrationSource(),
  tableName: 'knex_migrations',
});

export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig())) as [number, string[]];
  return applied;
}

/** Names of migrations that exist but have not run (empty when the schema is current). */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list(migrationConfig())) as [unknown[], MigrationFile[]];
  return pending.map((m) => m.name);
}

/** The hall's migrations on one database (knex's migrator over HallMigrationSource). */
export class KnexSchemaMigrations implements SchemaMigrations {
  constructor(private readonly knex: Knex) {}

  async applied(): Promise<string[]> {
    if (!(await this.knex.schema.hasTable('knex_migrations'))) return [];
    return (await this.knex('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
  }

  pending(): Promise<string[]> {
    return pendingMigrations(this.knex);
  }

  migrate(): Promise<string[]> {
    return migrateLatest(this.knex);
  }
}
