import { z } from 'zod';
import { component, entityId, instant, personId } from './component.js';

const count = z.number().int();
const rate = z.number().nullable().describe('a fraction rounded to 4 decimals; null when its denominator is 0');

/** One row's figures (docs/evaluation.md). */
export const EvaluationFigures = component(
  'EvaluationFigures',
  z.object({
    received: count.describe('受理量: applications first submitted in the year'),
    completed: count.describe('办结量: of those, ended completed or rejected before as-of'),
    completionRate: rate.describe('办结率 = completed / received'),
    onTime: count.describe('按时办结: completed ones none of whose tasks was acted after its due time'),
    onTimeRate: rate.describe('按时办结率 = onTime / completed'),
    handlingDaysTotal: count.describe('working days of handling, summed over the completed ones'),
    handlingDaysAverage: z
      .number()
      .nullable()
      .describe('平均办理时长 in working days, 2 decimals; null when none completed'),
    handlingDaysP90: count
      .nullable()
      .describe('90th percentile (nearest rank) of the working days; null when none completed'),
    overdueTasks: count.describe('逾期任务: tasks due in the year before as-of, acted late or still not done'),
    urges: count.describe('催办次数 in the year'),
    ratings: z
      .array(count)
      .length(5)
      .describe('好差评 ratings given in the year at levels 1 (非常不满意) to 5 (非常满意)'),
    rated: count,
    satisfactionRate: rate.describe('满意率 = (level 4 + level 5) / rated'),
    followUps: count.describe('整改 follow-ups opened in the year'),
    followUpsOnTime: count.describe('of those, resolved by their due time before as-of'),
    followUpOnTimeRate: rate.describe('整改按时率 = followUpsOnTime / followUps'),
  }),
);

const unit = z.object({ key: z.string(), code: z.string(), name: z.string() });
const item = z.object({ id: entityId, code: z.string(), name: z.string() });

export const AnnualEvaluation = component(
  'AnnualEvaluation',
  z.object({
    year: count,
    unit: unit.nullable().describe('the one unit asked about; null for the whole university'),
    asOf: instant.describe('the cut-off: the end of the year, or now while it is not over'),
    provisional: z.boolean().describe('the year was not over at as-of'),
    definitionsVersion: z.string(),
    university: EvaluationFigures.nullable().describe('null when asked about one unit'),
    units: z.array(z.object({ unit, figures: EvaluationFigures })),
    items: z.array(z.object({ unit, item, figures: EvaluationFigures })),
  }),
);

export const EvaluationExport = component(
  'EvaluationExport',
  z.object({
    id: entityId,
    year: count,
    unit: z.string().nullable().describe('the unit key the export was restricted to; null for the whole university'),
    format: z.enum(['xlsx', 'csv']),
    asOf: instant,
    provisional: z.boolean(),
    sha256: z.string().describe('hex SHA-256 of the file'),
    size: count.describe('bytes'),
    exportedBy: personId,
    exportedAt: instant,
  }),
);

export const EvaluationExportList = component('EvaluationExportList', z.object({ items: z.array(EvaluationExport) }));
