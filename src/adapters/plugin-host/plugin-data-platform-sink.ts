import type { LoadedPlugin } from '@service-hall/plugin-sdk';
import type { CloudEvent, DataPlatformSink, SinkAnswer } from '../../application/ports/data-platform-sink.port.js';
import type { PersonalDataHandling } from '../../domain/application/personal-data.js';

/**
 * A plugin's data-platform sink as one of the outbox relay's sinks, named after the plugin (its
 * cursor, and what `hall outbox` names). The whole batch acknowledged: accepted. Anything less (a
 * throw, a timeout, a partial acknowledgement): transient, and the relay sends the batch again in
 * order, which the plugin's idempotence by event id makes harmless.
 */
export class PluginDataPlatformSink implements DataPlatformSink {
  readonly name: string;

  constructor(
    private readonly plugin: LoadedPlugin & { dataPlatformSink: NonNullable<LoadedPlugin['dataPlatformSink']> },
    readonly personalData: PersonalDataHandling = 'omit',
  ) {
    this.name = plugin.id;
  }

  async deliver(events: CloudEvent[]): Promise<SinkAnswer> {
    const { acknowledged, error } = await this.plugin.dataPlatformSink.deliver(events);
    const taken = new Set(acknowledged);
    const missing = events.filter((e) => !taken.has(e.id)).length;
    if (missing === 0) return { kind: 'accepted' };
    return {
      kind: 'transient',
      reason: error ?? `the plugin acknowledged ${events.length - missing} of ${events.length} events`,
    };
  }
}

/** The loaded plugins that provide a sink, as relay sinks, each with its instance's handling of personal data. */
export function pluginSinks(
  plugins: readonly LoadedPlugin[],
  personalData: Readonly<Record<string, PersonalDataHandling>> = {},
): DataPlatformSink[] {
  return plugins.flatMap((p) =>
    p.dataPlatformSink
      ? [new PluginDataPlatformSink({ ...p, dataPlatformSink: p.dataPlatformSink }, personalData[p.id] ?? 'omit')]
      : [],
  );
}
