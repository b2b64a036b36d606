import { ok, type Result } from '../../domain/shared/result.js';
import type { PluginHealth, PluginHealthReport } from '../ports/plugin-health.port.js';
import type { SchemaMigrations } from '../ports/schema-migrations.port.js';

/** `plugins`: what each loaded plugin says of its health; a plugin that is down does not make the hall unready. */
export type Readiness = ({ ready: true } | { ready: false; reason: string }) & { plugins: PluginHealthReport[] };

/** Whether this instance can serve: its database answers and has every migration it ships. */
export class ReadinessUseCase {
  constructor(private readonly deps: { schema: SchemaMigrations; plugins: PluginHealth }) {}

  async execute(): Promise<Result<Readiness, never>> {
    const plugins = this.deps.plugins.reports();
    let pending: string[];
    try {
      pending = await this.deps.schema.pending();
    } catch {
      // not ready is an answer, not a failure: the load balancer asks again
      return ok({ ready: false, reason: 'database unreachable', plugins });
    }
    if (pending.length) return ok({ ready: false, reason: `pending migrations: ${pending.join(', ')}`, plugins });
    return ok({ ready: true, plugins });
  }
}
