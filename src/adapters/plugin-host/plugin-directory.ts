import type { LoadedPlugin } from '@service-hall/plugin-sdk';
import type { Directory } from '../../application/ports/directory.port.js';
import type { Person } from '../../application/ports/organisation.port.js';

/**
 * A plugin's directory source as the directory `hall people sync` reads (like the HR export and
 * LDAP): every person checked by the SDK, one it cannot read naming the plugin, position and field.
 */
export class PluginDirectory implements Directory {
  constructor(private readonly source: NonNullable<LoadedPlugin['directorySource']>) {}

  async people(): Promise<Person[]> {
    return (await this.source.people()).map((p) => ({
      id: p.id,
      name: p.name,
      type: p.type,
      unit: p.unit,
      status: p.status,
      email: p.email ?? null,
    }));
  }
}

/** The directory a plugin provides, if one does (two providing one stop the start). */
export function pluginDirectory(plugins: readonly LoadedPlugin[]): Directory | undefined {
  const sources = plugins.filter((p) => p.directorySource);
  if (sources.length > 1) {
    throw new Error(`plugins ${sources.map((p) => p.id).join(' and ')} both provide a directory source: configure one`);
  }
  return sources[0] ? new PluginDirectory(sources[0].directorySource!) : undefined;
}
