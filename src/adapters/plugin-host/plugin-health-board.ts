import type { LoadedPlugin } from '@service-hall/plugin-sdk';
import type { PluginHealth, PluginHealthReport } from '../../application/ports/plugin-health.port.js';

/** The loaded plugins' health as they last reported it, for /readyz. */
export class PluginHealthBoard implements PluginHealth {
  private readonly latest = new Map<string, PluginHealthReport>();

  loaded(plugins: readonly LoadedPlugin[]): void {
    for (const p of plugins) {
      if (this.latest.has(p.id)) continue;
      const h = p.health();
      this.latest.set(p.id, {
        plugin: p.id,
        status: h.status,
        ...('detail' in h && h.detail ? { detail: h.detail } : {}),
      });
    }
  }

  report(plugin: string, report: { status: 'ok' | 'degraded' | 'down'; detail?: string }): void {
    this.latest.set(plugin, { plugin, status: report.status, ...(report.detail ? { detail: report.detail } : {}) });
  }

  reports(): PluginHealthReport[] {
    return [...this.latest.values()];
  }
}
