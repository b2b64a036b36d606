import type { z } from 'zod';
import type { ExtensionPoint } from './extension-points.js';
import type { PluginServices } from './services.js';

/** What `register` is given: the services, and `provide` to fill extension points. */
export interface PluginEnv<
  Config,
  SecretKey extends string,
  OptionalSecretKey extends string = never,
> extends PluginServices<Config, SecretKey, OptionalSecretKey> {
  /** Provides the implementation of one extension point; each point at most once per plugin. */
  provide<T>(point: ExtensionPoint<T>, implementation: T): void;
}

export interface PluginDefinition<
  Schema extends z.ZodType,
  SecretKey extends string,
  OptionalSecretKey extends string = never,
> {
  /**
   * Lower-case letters, digits and dashes, e.g. `example-dormitory`: names it in logs, config and
   * errors. The hall may start one plugin more than once, each instance under its own id (the key
   * of its configuration section); `env.pluginId` is then the instance's id.
   */
  id: string;
  /** The range of SDK versions the plugin was built for, e.g. `^1.0.0`. */
  sdkVersion: string;
  /** The plugin's configuration; the host validates it at start and refuses to start on a problem. */
  config: Schema;
  /** The names of the secrets it needs (tokens, passwords); given apart from config, never logged. */
  secrets?: readonly SecretKey[];
  /** Secrets it uses when they are given (e.g. a token some systems do not ask for). */
  optionalSecrets?: readonly OptionalSecretKey[];
  /** Called once at start, after validation: provides the plugin's extension points. */
  register(env: PluginEnv<z.output<Schema>, SecretKey, OptionalSecretKey>): void | Promise<void>;
}

export interface Plugin<
  Schema extends z.ZodType = z.ZodType,
  SecretKey extends string = string,
  OptionalSecretKey extends string = string,
> extends PluginDefinition<Schema, SecretKey, OptionalSecretKey> {
  readonly kind: 'service-hall-plugin';
}

export const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Declares a plugin. The types follow from the definition: `env.config` is the schema's output and
 * `env.secrets` has exactly the declared keys.
 *
 * ```ts
 * export default definePlugin({
 *   id: 'example-dormitory',
 *   sdkVersion: '^1.0.0',
 *   config: z.object({ url: z.url(), timeoutMs: z.number().int().positive().default(5000) }),
 *   secrets: ['token'],
 *   register(env) {
 *     env.provide(businessConnectorExtension, { call: async (request, ctx) => ... });
 *   },
 * });
 * ```
 */
export function definePlugin<
  Schema extends z.ZodType,
  const SecretKey extends string = never,
  const OptionalSecretKey extends string = never,
>(definition: PluginDefinition<Schema, SecretKey, OptionalSecretKey>): Plugin<Schema, SecretKey, OptionalSecretKey> {
  if (!PLUGIN_ID.test(definition.id)) {
    throw new Error(`plugin id ${JSON.stringify(definition.id)}: use lower-case letters, digits and dashes`);
  }
  return Object.freeze({ ...definition, kind: 'service-hall-plugin' as const });
}
