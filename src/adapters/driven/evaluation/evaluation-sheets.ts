import { DEFINITIONS_ZH } from '../../../domain/evaluation/annual-evaluation.js';
import type { EvaluationDocument } from '../../../application/ports/evaluation-figures.port.js';

/** An instant as China's civil time: '2027-01-01 00:00:00 (UTC+8)'. */
export function chinaTime(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} (UTC+8)`;
}

/** What the document is (year, scope, cut-off, status, definitions), then every definition: the 指标说明 sheet. */
export function definitionRows(doc: EvaluationDocument): Array<[string, string]> {
  return [
    ['年度', String(doc.year)],
    ['范围', doc.unit ? `${doc.unit.name}（${doc.unit.code}）` : '全校'],
    ['截止时间', chinaTime(doc.asOf)],
    ['数据性质', doc.provisional ? '临时数据（年度未结束，截至导出时刻）' : '正式数据（年度已结束）'],
    ['口径版本', doc.definitionsVersion],
    ['', ''],
    ['指标', '说明'],
    ...DEFINITIONS_ZH.map(([k, v]) => [k, v] as [string, string]),
  ];
}
