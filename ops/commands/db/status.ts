import { BaseCommand } from '../../base-command.js';

export default class DbStatus extends BaseCommand<typeof DbStatus> {
  static override schemaCommand = true;
  static override summary = 'Show applied and pending migrations.';

  async run(): Promise<{ applied: string[]; pending: string[] }> {
    const { applied, pending } = this.unwrap(await this.schemaUseCases.schemaMigrations.status());
    this.log(
      `applied: ${applied.length}, pending: ${pending.length}${pending.length ? ` (${pending.join(', ')})` : ''}`,
    );
    return { applied, pending };
  }
}
