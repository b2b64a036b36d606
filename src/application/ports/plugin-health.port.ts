/** What a loaded plugin last said of its own health (`unknown` before its first report). */
export interface PluginHealthReport {
  plugin: string;
  status: 'ok' | 'degraded' | 'down' | 'unknown';
  detail?: string;
}

/** The health of the plugins this instance loaded, as they report it. */
export interface PluginHealth {
  reports(): PluginHealthReport[];
}
