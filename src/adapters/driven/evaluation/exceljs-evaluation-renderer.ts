import ExcelJS from 'exceljs';
import {
  FIGURE_COLUMNS,
  IDENTITY_HEADERS,
  LEVEL_NAMES,
  figureCells,
  identityCells,
  type EvaluationLevel,
} from '../../../domain/evaluation/annual-evaluation.js';
import type { EvaluationDocument, EvaluationRenderer } from '../../../application/ports/evaluation-figures.port.js';
import { definitionRows } from './evaluation-sheets.js';
import { chinaClock, fixZipDates } from './fixed-zip-dates.js';

const NUMBER_FORMATS = { count: '0', rate: '0.00%', days: '0.00' } as const;

/**
 * The evaluation as an XLSX workbook: one sheet per level (全校 — left out when the document is
 * about one unit —, 单位, 事项) with Chinese headers, and 指标说明 (the definitions). Reproducible:
 * the document properties carry the as-of instant, not the time of rendering, and every zip entry
 * is dated as-of too, so the same document gives byte-identical files.
 */
export class ExcelJsEvaluationRenderer implements EvaluationRenderer {
  readonly format = 'xlsx' as const;
  readonly mediaType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

  async render(doc: EvaluationDocument): Promise<Uint8Array> {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Service Hall';
    wb.lastModifiedBy = 'Service Hall';
    wb.created = doc.asOf;
    wb.modified = doc.asOf;
    wb.lastPrinted = doc.asOf;
    wb.title = `${doc.year}年度效能评估${doc.unit ? `（${doc.unit.name}）` : ''}`;

    const levels: EvaluationLevel[] = doc.unit ? ['unit', 'item'] : ['university', 'unit', 'item'];
    for (const level of levels) {
      const ws = wb.addWorksheet(LEVEL_NAMES[level], { views: [{ state: 'frozen', ySplit: 1 }] });
      const identity = IDENTITY_HEADERS[level];
      ws.addRow([...identity, ...FIGURE_COLUMNS.map((c) => c.header)]).font = { bold: true };
      for (const row of doc.rows.filter((r) => r.level === level))
        ws.addRow([...identityCells(row), ...figureCells(row.figures)]);
      identity.forEach((h, i) => (ws.getColumn(i + 1).width = h.endsWith('名称') ? 28 : 12));
      FIGURE_COLUMNS.forEach((c, i) => {
        const col = ws.getColumn(identity.length + i + 1);
        col.width = Math.max(10, c.header.length * 2 + 2);
        col.numFmt = NUMBER_FORMATS[c.kind];
      });
    }

    const defs = wb.addWorksheet('指标说明');
    for (const r of definitionRows(doc)) defs.addRow(r);
    defs.getColumn(1).width = 26;
    defs.getColumn(2).width = 100;
    defs.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

    const buffer = await wb.xlsx.writeBuffer();
    return fixZipDates(new Uint8Array(buffer as ArrayBuffer), chinaClock(doc.asOf));
  }
}
