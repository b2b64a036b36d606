import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import type { EvaluationExportView } from '../../../src/application/evaluations/annual-evaluation.use-case.js';

export default class EvalList extends BaseCommand<typeof EvalList> {
  static override summary = 'List the filings (备案) of annual evaluation exports, newest first.';

  static override flags = {
    year: Flags.integer({ description: 'filings of this year only' }),
    limit: Flags.integer({ description: 'at most this many', default: 50, min: 1, max: 200 }),
  };

  async run(): Promise<{ items: EvaluationExportView[] }> {
    const r = this.unwrap(
      await this.useCases.annualEvaluation.list({
        actor: await this.operator(),
        year: this.flags.year,
        limit: this.flags.limit,
      }),
    );
    for (const f of r.items) {
      this.log(
        [
          f.exportedAt,
          f.year,
          f.unit ?? '全校',
          f.format,
          `as of ${f.asOf}${f.provisional ? ' (provisional)' : ''}`,
          f.sha256,
          f.exportedBy,
          f.id,
        ].join('\t'),
      );
    }
    return r;
  }
}
