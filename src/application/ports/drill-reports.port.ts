import type { DrillReport } from '../../domain/drill/drill-report.js';

/** A drill report as listed: who ran what, when, and the verdict. */
export interface DrillReportSummary {
  id: string;
  scenario: string;
  title: string;
  mode: DrillReport['mode'];
  runBy: string;
  startedAt: string;
  finishedAt: string;
  verdict: DrillReport['verdict'];
}

/** Stored drill reports, written in a unit of work with their audit entry. */
export interface DrillReportStore {
  add(report: DrillReport): Promise<void>;
}

/** Stored drill reports, read outside a transaction: newest first. */
export interface DrillReportReader {
  list(o: { scenario?: string; limit: number }): Promise<DrillReportSummary[]>;
  get(id: string): Promise<DrillReport | null>;
}
