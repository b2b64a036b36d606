import { Command } from '@oclif/core';
import pino from 'pino';
import { reportPlugins, type PluginReport } from '../../../src/adapters/composition/plugins.js';

/** Checks the plugins HALL_CONFIG names before a start: exit 1, naming each one that cannot start and why. */
export default class PluginCheck extends Command {
  static override summary =
    'Check the plugins HALL_CONFIG names: exit 1, naming each plugin that cannot start and why.';
  static override enableJsonFlag = true;

  async run(): Promise<{ ok: boolean; plugins: PluginReport[] }> {
    await this.parse(PluginCheck);
    const plugins = await reportPlugins(process.env, pino({ level: 'silent' })).catch((e: Error) =>
      this.error(e.message, { exit: 78 }),
    );
    const failing = plugins.filter((p) => p.problem);
    const result = { ok: failing.length === 0, plugins };
    if (this.jsonEnabled()) {
      if (!result.ok) {
        this.logJson(result);
        return this.exit(1);
      }
      return result;
    }
    for (const p of plugins) this.log(p.problem ? `✗ ${p.problem}` : `✓ ${p.id} (${p.loaded!.provides.join(', ')})`);
    if (!result.ok) this.exit(1);
    return result;
  }
}
