import type { DrillReport } from '../../src/domain/drill/drill-report.js';
import type {
  DrillReportReader,
  DrillReportStore,
  DrillReportSummary,
} from '../../src/application/ports/drill-reports.port.js';
import type { HallState } from './in-memory-database.js';

/** Drill reports in the state: added in a transaction's working copy, listed newest first. */
export class InMemoryDrillReports implements DrillReportStore, DrillReportReader {
  constructor(private readonly state: () => HallState) {}

  async add(report: DrillReport): Promise<void> {
    this.state().drillReports.push(structuredClone(report));
  }

  async list(o: { scenario?: string; limit: number }): Promise<DrillReportSummary[]> {
    return this.state()
      .drillReports.filter((r) => !o.scenario || r.scenario === o.scenario)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id))
      .slice(0, o.limit)
      .map(({ id, scenario, title, mode, runBy, startedAt, finishedAt, verdict }) => ({
        id,
        scenario,
        title,
        mode,
        runBy,
        startedAt,
        finishedAt,
        verdict,
      }));
  }

  async get(id: string): Promise<DrillReport | null> {
    return structuredClone(this.state().drillReports.find((r) => r.id === id) ?? null);
  }
}
