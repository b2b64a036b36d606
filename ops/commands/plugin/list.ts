import { Command } from '@oclif/core';
import pino from 'pino';
import { reportPlugins, type PluginReport } from '../../../src/adapters/composition/plugins.js';

/** Lists the plugins HALL_CONFIG names: loaded (SDK range, what each provides, health) or why not. */
export default class PluginList extends Command {
  static override summary = 'List the plugins HALL_CONFIG names: what each provides, or why it cannot start.';
  static override description =
    'Loads each plugin on its own, as the hall would at start, without a database. Exits 0 whatever the plugins say; ' +
    '`hall plugin check` exits 1 when one cannot start.';
  static override enableJsonFlag = true;

  async run(): Promise<{ plugins: PluginReport[] }> {
    await this.parse(PluginList);
    const plugins = await reportPlugins(process.env, pino({ level: 'silent' })).catch((e: Error) =>
      this.error(e.message, { exit: 78 }),
    );
    if (!this.jsonEnabled()) {
      if (!plugins.length) this.log('no plugins: HALL_CONFIG names none');
      for (const p of plugins) {
        this.log(
          p.loaded
            ? `${p.id}  ${p.module}  sdk ${p.loaded.sdkVersion}  provides ${p.loaded.provides.join(', ')}  health ${p.loaded.health}`
            : `${p.id}  ${p.module}  CANNOT START: ${p.problem}`,
        );
      }
    }
    return { plugins };
  }
}
