import { Args, Flags } from '@oclif/core';
import { drillReportMarkdown, type DrillReport } from '../../../src/domain/drill/drill-report.js';
import { BaseCommand } from '../../base-command.js';

export default class DrillShow extends BaseCommand<typeof DrillShow> {
  static override summary = 'Show a drill report, as Markdown for the filing (备案) or as JSON.';

  static override args = { id: Args.string({ description: 'the report id (from `hall drill list`)', required: true }) };
  static override flags = {
    format: Flags.string({ description: 'md or json', options: ['md', 'json'], default: 'md' }),
  };

  async run(): Promise<DrillReport> {
    const { args } = await this.parse(DrillShow);
    const report = this.unwrap(await this.useCases.drills.show(await this.operator(), args.id));
    if (!this.jsonEnabled())
      this.log(this.flags.format === 'json' ? JSON.stringify(report, null, 2) : drillReportMarkdown(report));
    return report;
  }
}
