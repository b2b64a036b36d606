import type { Logger } from 'pino';
import { readHallConfig } from '../plugin-host/hall-config.js';
import type { PluginReport } from '../plugin-host/plugin-host.js';

export type { PluginReport };

/**
 * The plugins HALL_CONFIG names, each loaded on its own and reported (`hall plugin list|check`):
 * needs no database. No HALL_CONFIG: none.
 */
export async function reportPlugins(env: NodeJS.ProcessEnv, logger: Logger): Promise<PluginReport[]> {
  if (!env.HALL_CONFIG) return [];
  const config = await readHallConfig(env.HALL_CONFIG);
  // imported only when plugins are configured: the SDK ships as TypeScript source
  return (await import('../plugin-host/plugin-host.js')).inspectPlugins(config, { env, logger });
}
