import type { EvaluationRow, RawCounts } from '../../domain/evaluation/annual-evaluation.js';

export interface EvaluatedUnit {
  key: string;
  code: string;
  name: string;
}

export interface EvaluatedItem {
  id: string;
  code: string;
  name: string;
}

export interface FiguresQuery {
  /** The year's first instant (inclusive). */
  from: Date;
  /** The cut-off (exclusive): nothing at or after it counts. */
  asOf: Date;
  /** One unit only; null: the whole university. */
  unitKey: string | null;
  /**
   * The working calendar over the dates handling times can span: each civil date (China time) and
   * the working days up to and including it (see workingDayIndex).
   */
  calendar: { dates: string[]; index: number[] };
}

export interface FigureCounts {
  /** The whole university (or the one unit asked about). */
  university: RawCounts;
  /** Every unit with at least one service item, with zeros when nothing happened; in code order. */
  units: Array<{ unit: EvaluatedUnit; counts: RawCounts }>;
  /** Every item with an application received in the year or online now; in unit, then item code order. */
  items: Array<{ unit: EvaluatedUnit; item: EvaluatedItem; counts: RawCounts }>;
}

/**
 * The raw counts of the annual evaluation (docs/evaluation.md), read in one consistent snapshot.
 * Read-only: never inside a unit of work.
 */
export interface EvaluationFigures {
  counts(query: FiguresQuery): Promise<FigureCounts>;
  /** null when there is no such unit. */
  unit(key: string): Promise<EvaluatedUnit | null>;
}

export type EvaluationFormat = 'xlsx' | 'csv';
export const EVALUATION_FORMATS: readonly EvaluationFormat[] = ['xlsx', 'csv'];

/** Everything a rendered evaluation shows: its rows, and what they are about. */
export interface EvaluationDocument {
  year: number;
  /** The one unit the document is restricted to; null for the whole university. */
  unit: EvaluatedUnit | null;
  asOf: Date;
  provisional: boolean;
  definitionsVersion: string;
  /** University row (unless restricted to a unit), then unit rows, then item rows. */
  rows: EvaluationRow[];
}

/**
 * Renders an evaluation as a file. The same document gives the same bytes, whenever rendered: the
 * filed hash identifies the file.
 */
export interface EvaluationRenderer {
  readonly format: EvaluationFormat;
  readonly mediaType: string;
  render(document: EvaluationDocument): Promise<Uint8Array>;
}

/** A filing (备案) of one export: what was exported, its hash, who exported it and when. */
export interface EvaluationExportRecord {
  id: string;
  year: number;
  /** The unit it was restricted to; null for the whole university. */
  unitKey: string | null;
  format: EvaluationFormat;
  asOf: Date;
  provisional: boolean;
  /** Hex SHA-256 of the file. */
  sha256: string;
  size: number;
  exportedBy: string;
  exportedAt: Date;
}

/** Writes filings inside a unit of work. */
export interface EvaluationExportFilings {
  add(record: EvaluationExportRecord): Promise<void>;
}

/** Reads filings (outside any unit of work), newest first. */
export interface EvaluationExportRecords {
  list(options: { year?: number; limit: number }): Promise<EvaluationExportRecord[]>;
  find(id: string): Promise<EvaluationExportRecord | null>;
}
