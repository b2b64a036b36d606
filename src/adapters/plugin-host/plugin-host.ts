import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { loadPlugin, type LoadedPlugin, type PluginLogger } from '@service-hall/plugin-sdk';
import type { HallConfig } from './hall-config.js';

/** The hall's pino logger as the SDK's logger: `(message, fields)` in, pino's `(fields, message)` out. */
export function pluginLogger(logger: Logger): PluginLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
    child: (bindings) => pluginLogger(logger.child(bindings)),
  };
}

/**
 * Loads the plugins the configuration names: imports each module's default export, gives it its
 * configuration and the secrets read from the environment, and lets the SDK check its version
 * range and configuration. The first plugin that cannot start stops the start with the SDK's one
 * line (`plugin <id>: <key>: <problem>`). What comes back is guarded: a call never throws and never
 * outlives its deadline, so a plugin that hangs or fails cannot take the hall down.
 */
export async function loadPlugins(
  config: HallConfig,
  o: {
    env: NodeJS.ProcessEnv;
    logger: Logger;
    callTimeoutMs?: number;
    onHealth?: (plugin: string, report: { status: 'ok' | 'degraded' | 'down'; detail?: string }) => void;
  },
): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const [id, section] of Object.entries(config.plugins)) {
    const specifier = section.module.startsWith('.')
      ? pathToFileURL(path.resolve(section.module)).href
      : section.module;
    let plugin: unknown;
    try {
      plugin = ((await import(specifier)) as { default?: unknown }).default;
    } catch (e) {
      throw new Error(
        `plugin ${id}: module ${section.module} cannot be imported: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const secrets = Object.fromEntries(Object.entries(section.secrets).map(([key, from]) => [key, o.env[from.env]]));
    const p = await loadPlugin(
      plugin as Parameters<typeof loadPlugin>[0],
      { config: section.config, secrets },
      {
        logger: pluginLogger(o.logger),
        callTimeoutMs: o.callTimeoutMs,
        onHealth: (pluginId, report) => {
          o.logger.info({ plugin: pluginId, health: report }, 'plugin health');
          o.onHealth?.(pluginId, report);
        },
      },
    );
    if (p.id !== id)
      throw new Error(`plugin ${id}: module ${section.module} is the plugin '${p.id}'; name its section '${p.id}'`);
    loaded.push(p);
  }
  return loaded;
}

/** One configured plugin as `hall plugin list|check` reports it. */
export interface PluginReport {
  id: string;
  module: string;
  /** Loaded: its SDK range, what it provides and its first health report (if it made one at start). */
  loaded?: { sdkVersion: string; provides: string[]; health: string };
  /** Why it cannot start: the one line the start would stop with. */
  problem?: string;
}

/** Every configured plugin, loaded one by one, each problem named, none stopping the others. */
export async function inspectPlugins(
  config: HallConfig,
  o: { env: NodeJS.ProcessEnv; logger: Logger },
): Promise<PluginReport[]> {
  const reports: PluginReport[] = [];
  for (const [id, section] of Object.entries(config.plugins)) {
    try {
      const [p] = await loadPlugins({ plugins: { [id]: section } }, o);
      const provides = [
        ...(p!.businessConnector ? ['business connector'] : []),
        ...(p!.dataPlatformSink ? ['data-platform sink'] : []),
        ...(p!.directorySource ? ['directory source'] : []),
      ];
      reports.push({
        id,
        module: section.module,
        loaded: { sdkVersion: p!.sdkVersion, provides, health: p!.health().status },
      });
    } catch (e) {
      reports.push({ id, module: section.module, problem: e instanceof Error ? e.message : String(e) });
    }
  }
  return reports;
}
