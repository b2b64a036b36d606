import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const PLUGIN_INSTANCE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A plugin's section of the hall's configuration file; its key is the id the instance runs under. */
const pluginSection = z.strictObject({
  /** What to import: an installed package, or a path from the working directory ('./…'). */
  module: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  /** Where each secret comes from: an environment variable, so that no secret sits in the file. */
  secrets: z.record(z.string(), z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) })).default({}),
  /** For a data-platform sink: how the form fields marked personal reach it (masked, or left out). */
  personalData: z.enum(['mask', 'omit']).default('omit'),
});

const hallConfig = z.strictObject({
  plugins: z
    .record(
      z.string().max(64).regex(PLUGIN_INSTANCE_ID, 'a plugin id: lower-case letters, digits and single dashes'),
      pluginSection,
    )
    .default({}),
});

export type HallConfig = z.infer<typeof hallConfig>;
export type PluginSection = z.infer<typeof pluginSection>;

/** The configuration file is unreadable or invalid: one line naming the file, the key and the problem. */
export class HallConfigError extends Error {}

/** Reads and validates the file HALL_CONFIG names: YAML when it ends in .yaml or .yml, else JSON. */
export async function readHallConfig(file: string): Promise<HallConfig> {
  let raw: unknown;
  try {
    const text = await readFile(file, 'utf8');
    raw = /\.ya?ml$/i.test(path.extname(file)) ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (e) {
    throw new HallConfigError(`HALL_CONFIG ${file}: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
  const parsed = hallConfig.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(the file)'}: ${i.message}`);
    throw new HallConfigError(`HALL_CONFIG ${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The bundled plugin each CONNECTORS entry starts an instance of. */
export const HTTP_CONNECTOR_MODULE = '@service-hall/plugin-http-connector';

/** One plugin instance to start: its module, its configuration and its secrets' values. */
export interface PluginInstance {
  module: string;
  config: Record<string, unknown>;
  secrets: Record<string, string | undefined>;
  /** For a data-platform sink: how the form fields marked personal reach it. */
  personalData: 'mask' | 'omit';
  /** Where it is configured, for messages: `HALL_CONFIG` or `CONNECTORS`. */
  from: 'HALL_CONFIG' | 'CONNECTORS';
}

/**
 * Every plugin instance to start, by the id it runs under: the sections of the configuration file
 * (secrets read from the environment variables they name) and one instance of the bundled HTTP
 * connector per CONNECTORS entry. An id configured in both places stops the start.
 */
export function pluginInstances(
  file: HallConfig | undefined,
  connectors: Record<string, { url: string; timeoutMs: number; token?: string }>,
  env: NodeJS.ProcessEnv,
): Record<string, PluginInstance> {
  const instances: Record<string, PluginInstance> = {};
  for (const [id, section] of Object.entries(file?.plugins ?? {})) {
    instances[id] = {
      module: section.module,
      config: section.config,
      secrets: Object.fromEntries(Object.entries(section.secrets).map(([key, from]) => [key, env[from.env]])),
      personalData: section.personalData,
      from: 'HALL_CONFIG',
    };
  }
  for (const [id, c] of Object.entries(connectors)) {
    if (Object.hasOwn(instances, id)) {
      throw new HallConfigError(`connector '${id}' is configured twice: in CONNECTORS and in HALL_CONFIG`);
    }
    instances[id] = {
      module: HTTP_CONNECTOR_MODULE,
      config: { url: c.url, timeoutMs: c.timeoutMs },
      secrets: { token: c.token },
      personalData: 'omit',
      from: 'CONNECTORS',
    };
  }
  return instances;
}
