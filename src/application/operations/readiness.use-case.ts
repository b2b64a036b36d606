import { ok, type Result } from '../../domain/shared/result.js';
import type { SchemaMigrations } from '../ports/schema-migrations.port.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Whether this instance can serve: its database answers and has every migration it ships. */
export class ReadinessUseCase {
  constructor(private readonly deps: { schema: SchemaMigrations }) {}

  async execute(): Promise<Result<Readiness, never>> {
    let pending: string[];
    try {
      pending = await this.deps.schema.pending();
    } catch {
      // not ready is an answer, not a failure: the load balancer asks again
      return ok({ ready: false, reason: 'database unreachable' });
    }
    if (pending.length) return ok({ ready: false, reason: `pending migrations: ${pending.join(', ')}` });
    return ok({ ready: true });
  }
}
