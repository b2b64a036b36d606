import { ok, type Result } from '../../domain/shared/result.js';
import type { BusinessConnectors } from '../ports/business-connectors.port.js';
import type { PluginHealth, PluginHealthReport } from '../ports/plugin-health.port.js';
import type { SchemaMigrations } from '../ports/schema-migrations.port.js';

/** One thing the hall depends on, and whether it is up. */
export interface Dependency {
  name: string;
  status: 'up' | 'down';
}

/**
 * `dependencies`: the database (down: not ready) and each business connector (down: the items
 * calling it show their offline procedure; the hall stays ready). `plugins`: what each loaded
 * plugin says of its health; a plugin that is down does not make the hall unready.
 */
export type Readiness = ({ ready: true } | { ready: false; reason: string }) & {
  dependencies: Dependency[];
  plugins: PluginHealthReport[];
};

/** Whether this instance can serve: its database answers and has every migration it ships. */
export class ReadinessUseCase {
  constructor(
    private readonly deps: {
      schema: SchemaMigrations;
      plugins: PluginHealth;
      connectors: Pick<BusinessConnectors, 'configured' | 'unavailable'>;
    },
  ) {}

  async execute(): Promise<Result<Readiness, never>> {
    const plugins = this.deps.plugins.reports();
    const unavailable = this.deps.connectors.unavailable();
    const connectors = [...this.deps.connectors.configured()]
      .sort()
      .map((c): Dependency => ({ name: `connector:${c}`, status: unavailable.has(c) ? 'down' : 'up' }));
    const report = (database: Dependency['status']) => ({
      dependencies: [{ name: 'database', status: database }, ...connectors],
      plugins,
    });
    let pending: string[];
    try {
      pending = await this.deps.schema.pending();
    } catch {
      // not ready is an answer, not a failure: the load balancer asks again
      return ok({ ready: false, reason: 'database unreachable', ...report('down') });
    }
    if (pending.length)
      return ok({ ready: false, reason: `pending migrations: ${pending.join(', ')}`, ...report('up') });
    return ok({ ready: true, ...report('up') });
  }
}
