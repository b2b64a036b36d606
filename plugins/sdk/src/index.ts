/**
 * @service-hall/plugin-sdk: what a department needs to write a Service Hall plugin.
 * docs/plugins.md is the guide. Run from this source through tsx (its `default` export) or built to
 * dist/ (its `production` export, what `npm run start:prod` imports).
 */
export { z } from 'zod';
export { SDK_VERSION, satisfies, isValidRange } from './version.js';
export { definePlugin, type Plugin, type PluginDefinition, type PluginEnv } from './plugin.js';
export * from './extension-points.js';
export * from './services.js';
export { classifyStatus, classifyError, connectorResultOf, RejectedError } from './classify.js';
export {
  loadPlugin,
  PluginLoadError,
  PluginConfigError,
  PluginVersionError,
  directoryPersonSchema,
  type HostServices,
  type RawPluginSettings,
  type CallOptions,
  type LoadedPlugin,
  type HostBusinessConnector,
  type HostDataPlatformSink,
  type HostDirectorySource,
} from './load.js';
