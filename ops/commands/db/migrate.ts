import { BaseCommand } from '../../base-command.js';

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override schemaCommand = true;
  static override summary = 'Apply pending migrations (the API also does this at start-up).';

  async run(): Promise<{ applied: string[] }> {
    const { applied } = this.unwrap(await this.schemaUseCases.schemaMigrations.migrate());
    this.log(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply: the schema is current');
    return { applied };
  }
}
