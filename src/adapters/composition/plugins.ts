import type { Logger } from 'pino';
import { connectorsVariable } from '../../config.js';
import { HallConfigError, pluginInstances, readHallConfig } from '../plugin-host/hall-config.js';
import { inspectPlugins, type PluginReport } from '../plugin-host/plugin-host.js';

export type { PluginReport };

/**
 * The plugin instances HALL_CONFIG and CONNECTORS name, each loaded on its own and reported
 * (`hall plugin list|check`): needs no database.
 */
export async function reportPlugins(env: NodeJS.ProcessEnv, logger: Logger): Promise<PluginReport[]> {
  const connectors = env.CONNECTORS ? connectorsVariable.safeParse(env.CONNECTORS) : undefined;
  if (connectors && !connectors.success) {
    const problems = connectors.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(the value)'}: ${i.message}`,
    );
    throw new HallConfigError(`CONNECTORS: ${problems.join('; ')}`);
  }
  const file = env.HALL_CONFIG ? await readHallConfig(env.HALL_CONFIG) : undefined;
  return inspectPlugins(pluginInstances(file, connectors?.data ?? {}, env), { logger });
}
