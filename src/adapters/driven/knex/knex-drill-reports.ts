import type { Knex } from 'knex';
import type { DrillReport } from '../../../domain/drill/drill-report.js';
import type {
  DrillReportReader,
  DrillReportStore,
  DrillReportSummary,
} from '../../../application/ports/drill-reports.port.js';

interface Row {
  id: string;
  scenario: string;
  title: string;
  mode: DrillReport['mode'];
  run_by: string;
  started_at: Date;
  finished_at: Date;
  verdict: DrillReport['verdict'];
  report: DrillReport;
}

const summary = (r: Omit<Row, 'report'>): DrillReportSummary => ({
  id: r.id,
  scenario: r.scenario,
  title: r.title,
  mode: r.mode,
  runBy: r.run_by,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at.toISOString(),
  verdict: r.verdict,
});

/** Drill reports in `drill_reports`: the columns it is listed by, and the whole report as jsonb. */
export class KnexDrillReports implements DrillReportStore, DrillReportReader {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async add(report: DrillReport): Promise<void> {
    await this.db('drill_reports').insert({
      id: report.id,
      scenario: report.scenario,
      title: report.title,
      mode: report.mode,
      run_by: report.runBy,
      started_at: report.startedAt,
      finished_at: report.finishedAt,
      verdict: report.verdict,
      report: JSON.stringify(report),
    });
  }

  async list(o: { scenario?: string; limit: number }): Promise<DrillReportSummary[]> {
    const q = this.db<Row>('drill_reports')
      .orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id' }])
      .limit(o.limit);
    if (o.scenario) q.where({ scenario: o.scenario });
    return (await q.select('id', 'scenario', 'title', 'mode', 'run_by', 'started_at', 'finished_at', 'verdict')).map(
      summary,
    );
  }

  async get(id: string): Promise<DrillReport | null> {
    const row = await this.db<Row>('drill_reports').where({ id }).first('report');
    return row?.report ?? null;
  }
}
