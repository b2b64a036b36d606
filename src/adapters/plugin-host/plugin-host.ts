import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { loadPlugin, type LoadedPlugin, type PluginLogger } from '@service-hall/plugin-sdk';
import type { PluginInstance } from './hall-config.js';

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
 * Starts the plugin instances: imports each module's default export, gives it its configuration,
 * its secrets and the id it runs under, and lets the SDK check its version range and
 * configuration. The first instance that cannot start stops the start with the SDK's one line
 * (`plugin <id>: <key>: <problem>`). What comes back is guarded: a call never throws and never
 * outlives its deadline, so a plugin that hangs or fails cannot take the hall down.
 */
export async function loadPlugins(
  instances: Record<string, PluginInstance>,
  o: {
    logger: Logger;
    callTimeoutMs?: number;
    onHealth?: (plugin: string, report: { status: 'ok' | 'degraded' | 'down'; detail?: string }) => void;
  },
): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const [id, instance] of Object.entries(instances)) {
    const specifier = instance.module.startsWith('.')
      ? pathToFileURL(path.resolve(instance.module)).href
      : instance.module;
    let plugin: unknown;
    try {
      plugin = ((await import(specifier)) as { default?: unknown }).default;
    } catch (e) {
      throw new Error(
        `plugin ${id}: module ${instance.module} cannot be imported: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    loaded.push(
      await loadPlugin(
        plugin as Parameters<typeof loadPlugin>[0],
        { instance: id, config: instance.config, secrets: instance.secrets },
        {
          logger: pluginLogger(o.logger),
          callTimeoutMs: o.callTimeoutMs,
          onHealth: (pluginId, report) => {
            o.logger.info({ plugin: pluginId, health: report }, 'plugin health');
            o.onHealth?.(pluginId, report);
          },
        },
      ),
    );
  }
  return loaded;
}

/** One configured plugin as `hall plugin list|check` reports it. */
export interface PluginReport {
  id: string;
  module: string;
  /** Where it is configured. */
  from: 'HALL_CONFIG' | 'CONNECTORS';
  /** Loaded: its plugin's id, SDK range, what it provides and its first health report (if it made one at start). */
  loaded?: { plugin: string; sdkVersion: string; provides: string[]; health: string };
  /** Why it cannot start: the one line the start would stop with. */
  problem?: string;
}

/** Every configured plugin, loaded one by one, each problem named, none stopping the others. */
export async function inspectPlugins(
  instances: Record<string, PluginInstance>,
  o: { logger: Logger },
): Promise<PluginReport[]> {
  const reports: PluginReport[] = [];
  for (const [id, section] of Object.entries(instances)) {
    try {
      const [p] = await loadPlugins({ [id]: section }, o);
      const provides = [
        ...(p!.businessConnector ? ['business connector'] : []),
        ...(p!.dataPlatformSink ? ['data-platform sink'] : []),
        ...(p!.directorySource ? ['directory source'] : []),
      ];
      reports.push({
        id,
        module: section.module,
        from: section.from,
        loaded: { plugin: p!.plugin, sdkVersion: p!.sdkVersion, provides, health: p!.health().status },
      });
    } catch (e) {
      reports.push({
        id,
        module: section.module,
        from: section.from,
        problem: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return reports;
}
