import { createKnex } from '../../../src/adapters/driven/knex/knex-database.js';
import { pendingMigrations } from '../../../src/adapters/driven/knex/migration-source.js';
import { BaseCommand } from '../../base-command.js';

export default class DbStatus extends BaseCommand<typeof DbStatus> {
  static override schemaCommand = true;
  static override summary = 'Show applied and pending migrations.';

  async run(): Promise<{ applied: string[]; pending: string[] }> {
    const knex = createKnex(this.databaseUrl, 1);
    try {
      const applied = (await knex.schema.hasTable('knex_migrations'))
        ? (await knex('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name) : [];
      const pending = await pendingMigrations(knex);
      this.log(`applied: ${applied.length}, pending: ${pending.length}${pending.length ? ` (${pending.join(', ')})` : ''}`);
      return { applied, pending };
    } finally {
      await knex.destroy();
    }
  }
}
