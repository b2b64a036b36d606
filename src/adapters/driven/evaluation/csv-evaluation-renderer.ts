import { FLAT_HEADERS, flatCells, type Cell } from '../../../domain/evaluation/annual-evaluation.js';
import type { EvaluationDocument, EvaluationRenderer } from '../../../application/ports/evaluation-figures.port.js';

/** Text a spreadsheet would run as a formula: prefixed with an apostrophe (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: RFC 4180 quoting, and text that would start a formula defused. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The evaluation as one CSV table: UTF-8 with a byte order mark (so spreadsheet programs read the
 * Chinese right), CRLF line ends, a leading 层级 column (全校, 单位, 事项). Rates are fractions (0.8333),
 * empty when their denominator is 0. What the file is (year, as-of) is in its manifest.
 */
export class CsvEvaluationRenderer implements EvaluationRenderer {
  readonly format = 'csv' as const;
  readonly mediaType = 'text/csv; charset=utf-8';

  render(doc: EvaluationDocument): Promise<Uint8Array> {
    const lines = [FLAT_HEADERS, ...doc.rows.map(flatCells)].map((cells) => cells.map(csvField).join(','));
    return Promise.resolve(new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`));
  }
}
