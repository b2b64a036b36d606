import { BaseCommand } from '../../base-command.js';

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override schemaCommand = true;
  static override summary =
    'Apply pending migrations: the one command that changes the schema (every other command refuses, exit 3, while any are pending).';

  async run(): Promise<{ applied: string[] }> {
    const { applied } = this.unwrap(await this.schemaUseCases.schemaMigrations.migrate());
    this.log(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply: the schema is current');
    return { applied };
  }
}
