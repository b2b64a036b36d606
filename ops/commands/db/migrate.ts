import { createKnex } from '../../../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../../../src/adapters/driven/knex/migration-source.js';
import { BaseCommand } from '../../base-command.js';

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override schemaCommand = true;
  static override summary = 'Apply pending migrations (the API also does this at start-up).';

  async run(): Promise<{ applied: string[] }> {
    const knex = createKnex(this.databaseUrl, 1);
    try {
      const applied = await migrateLatest(knex);
      this.log(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply: the schema is current');
      return { applied };
    } finally {
      await knex.destroy();
    }
  }
}
