import { Flags } from '@oclif/core';
import type { DrillReportSummary } from '../../../src/application/ports/drill-reports.port.js';
import { BaseCommand } from '../../base-command.js';
import { loadExperiments } from '../../drill/experiment.js';
import { unavailableIn } from '../../drill/runner.js';

export interface ScenarioListing {
  scenario: string;
  title: string;
  sandbox: true | string[];
  target: true | string[];
}

export default class DrillList extends BaseCommand<typeof DrillList> {
  static override summary =
    'List stored drill reports, newest first; with --scenarios, the scenarios and where each can run.';

  static override flags = {
    scenario: Flags.string({ description: 'only the reports of this scenario' }),
    limit: Flags.integer({ description: 'at most this many reports', default: 50, min: 1, max: 500 }),
    scenarios: Flags.boolean({
      description: 'list the scenarios (ops/drills) instead, and why one cannot run in a mode',
    }),
  };

  async run(): Promise<{ reports: DrillReportSummary[] } | { scenarios: ScenarioListing[] }> {
    const actor = await this.operator();
    if (this.flags.scenarios) {
      const scenarios: ScenarioListing[] = [];
      for (const [scenario, exp] of await loadExperiments()) {
        const where = (mode: 'sandbox' | 'target') => {
          const missing = unavailableIn(exp, mode);
          return missing.length ? missing : (true as const);
        };
        scenarios.push({ scenario, title: exp.title, sandbox: where('sandbox'), target: where('target') });
      }
      for (const s of scenarios) {
        this.log(`${s.scenario}\t${s.title}`);
        for (const mode of ['sandbox', 'target'] as const) {
          const v = s[mode];
          this.log(`  ${mode}: ${v === true ? 'yes' : `no — ${v.join('; ')}`}`);
        }
      }
      return { scenarios };
    }
    const reports = this.unwrap(
      await this.useCases.drills.list(actor, { scenario: this.flags.scenario, limit: this.flags.limit }),
    );
    for (const r of reports) this.log(`${r.id}\t${r.startedAt}\t${r.scenario}\t${r.mode}\t${r.verdict}\t${r.runBy}`);
    if (!reports.length) this.log('no drill reports');
    return { reports };
  }
}
