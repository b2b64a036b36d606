import { ok, type Result } from '../../domain/shared/result.js';
import type { SchemaMigrations } from '../ports/schema-migrations.port.js';

/**
 * The database schema for operators (hall db status|migrate): the migrations that have run and those
 * waiting, and running them. The API runs them at start-up as well.
 */
export class SchemaMigrationsUseCase {
  constructor(private readonly deps: { schema: SchemaMigrations }) {}

  async status(): Promise<Result<{ applied: string[]; pending: string[] }, never>> {
    const applied = await this.deps.schema.applied();
    return ok({ applied, pending: await this.deps.schema.pending() });
  }

  async migrate(): Promise<Result<{ applied: string[] }, never>> {
    return ok({ applied: await this.deps.schema.migrate() });
  }
}
