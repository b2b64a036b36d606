/**
 * The annual efficiency evaluation (Regulation Art. 18): the President's Office evaluates every unit
 * once a year and files the result with the HR Office. This module holds the rules that do not
 * depend on where the counts come from: the year's window and cut-off (as-of), the figures derived
 * from raw counts (rates, averages, their rounding), and the ordered Chinese columns of the tables.
 * The definitions are in docs/evaluation.md; DEFINITIONS_VERSION names them in every filing.
 */
import { InputError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

/** Bumped whenever a definition below changes: a filing says which definitions it used. */
export const DEFINITIONS_VERSION = 'art18-2026.1';

/** The first year the hall evaluates (nothing was online before). */
export const FIRST_YEAR = 2000;

const DAY = 86_400_000;
const CHINA_OFFSET = 8 * 3_600_000;

/** Jan 1 00:00 in China (+08:00) of a civil year. */
export function yearStart(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - CHINA_OFFSET);
}

export interface EvaluationWindow {
  year: number;
  /** Jan 1 00:00 +08:00 of the year. */
  from: Date;
  /** Jan 1 00:00 +08:00 of the next year. */
  end: Date;
  /** The cut-off: `end`, or now while the year is not over (never before `from`). */
  asOf: Date;
  /** The year was not over at as-of: the figures may still change. */
  provisional: boolean;
}

/** The year's window as of `now`. */
export function evaluationWindow(year: number, now: Date): EvaluationWindow {
  const from = yearStart(year);
  const end = yearStart(year + 1);
  const provisional = now.getTime() < end.getTime();
  const asOf = new Date(Math.max(from.getTime(), Math.min(end.getTime(), now.getTime())));
  return { year, from, end, asOf, provisional };
}

/** A year is evaluated from FIRST_YEAR up to the next civil year (China time) at the latest. */
export function checkYear(year: number, now: Date): Result<number, InputError> {
  const current = new Date(now.getTime() + CHINA_OFFSET).getUTCFullYear();
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > current + 1)
    return err(
      new InputError('EVALUATION.BAD_YEAR', `the year must be from ${FIRST_YEAR} to ${current + 1}`, [
        { path: '/year', message: `a year from ${FIRST_YEAR} to ${current + 1}` },
      ]),
    );
  return ok(year);
}

/**
 * The calendar as the figures' query wants it: every civil date from `from` to `to` (inclusive) and
 * the number of working days up to and including it. The working days strictly after date a and up
 * to date b are then index(b) - index(a).
 */
export function workingDayIndex(
  calendar: { isWorkingDay(date: string): boolean },
  from: string,
  to: string,
): { dates: string[]; index: number[] } {
  const dates: string[] = [];
  const index: number[] = [];
  let n = 0;
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += DAY) {
    const date = new Date(d).toISOString().slice(0, 10);
    if (calendar.isWorkingDay(date)) n++;
    dates.push(date);
    index.push(n);
  }
  return { dates, index };
}

/** What is counted for one row (the university, a unit or an item), before anything is derived. */
export interface RawCounts {
  /** 受理量: applications first submitted in the year. */
  received: number;
  /** 办结量: of those, ended completed or rejected before as-of. */
  completed: number;
  /** 按时办结: completed ones none of whose tasks was acted after its due time. */
  onTime: number;
  /** Working days of handling summed over the completed ones. */
  handlingDaysTotal: number;
  /** The 90th percentile (nearest rank) of those working days; null when none completed. */
  handlingDaysP90: number | null;
  /** 逾期任务. */
  overdueTasks: number;
  /** 催办次数. */
  urges: number;
  /** 好差评 ratings at levels 1..5 (index 0 is level 1). */
  ratings: [number, number, number, number, number];
  /** 整改 follow-ups opened in the year. */
  followUps: number;
  /** Of those, resolved by their due time, before as-of. */
  followUpsOnTime: number;
}

export const zeroCounts = (): RawCounts => ({
  received: 0,
  completed: 0,
  onTime: 0,
  handlingDaysTotal: 0,
  handlingDaysP90: null,
  overdueTasks: 0,
  urges: 0,
  ratings: [0, 0, 0, 0, 0],
  followUps: 0,
  followUpsOnTime: 0,
});

export interface Figures extends RawCounts {
  /** 办结率 = completed / received. */
  completionRate: number | null;
  /** 按时办结率 = onTime / completed. */
  onTimeRate: number | null;
  /** 平均办理时长 (working days) = handlingDaysTotal / completed. */
  handlingDaysAverage: number | null;
  /** Ratings in all. */
  rated: number;
  /** 满意率 = (level 4 + level 5) / rated. */
  satisfactionRate: number | null;
  /** 整改按时率 = followUpsOnTime / followUps. */
  followUpOnTimeRate: number | null;
}

/**
 * n / d rounded half up to `places` decimals; null when d is 0. Computed on the scaled quotient of
 * two integers, so the exact halves (1/8 = 0.125 -> 0.13) round up rather than by binary accident.
 */
export function ratio(n: number, d: number, places: number): number | null {
  if (d === 0) return null;
  const scale = 10 ** places;
  return Math.round((n * scale) / d) / scale;
}

/** A rate: a fraction rounded to 4 decimals (0.8333), null when its denominator is 0. */
export const rate = (n: number, d: number) => ratio(n, d, 4);

export function figuresOf(c: RawCounts): Figures {
  const rated = c.ratings.reduce((a, b) => a + b, 0);
  return {
    ...c,
    ratings: [...c.ratings],
    completionRate: rate(c.completed, c.received),
    onTimeRate: rate(c.onTime, c.completed),
    handlingDaysAverage: ratio(c.handlingDaysTotal, c.completed, 2),
    rated,
    satisfactionRate: rate(c.ratings[3] + c.ratings[4], rated),
    followUpOnTimeRate: rate(c.followUpsOnTime, c.followUps),
  };
}

export type EvaluationLevel = 'university' | 'unit' | 'item';
export const LEVEL_NAMES: Record<EvaluationLevel, string> = { university: '全校', unit: '单位', item: '事项' };

export interface EvaluationRow {
  level: EvaluationLevel;
  unit: { key: string; code: string; name: string } | null;
  item: { id: string; code: string; name: string } | null;
  figures: Figures;
}

/** How a figure is shown: a count, a rate (percentage), or a number of working days. */
export type ColumnKind = 'count' | 'rate' | 'days';

export interface FigureColumn {
  header: string;
  kind: ColumnKind;
  value(f: Figures): number | null;
}

/** The figure columns, in order, with their Chinese headers. */
export const FIGURE_COLUMNS: readonly FigureColumn[] = [
  { header: '受理量', kind: 'count', value: (f) => f.received },
  { header: '办结量', kind: 'count', value: (f) => f.completed },
  { header: '办结率', kind: 'rate', value: (f) => f.completionRate },
  { header: '按时办结量', kind: 'count', value: (f) => f.onTime },
  { header: '按时办结率', kind: 'rate', value: (f) => f.onTimeRate },
  { header: '平均办理时长（工作日）', kind: 'days', value: (f) => f.handlingDaysAverage },
  { header: '办理时长90分位（工作日）', kind: 'days', value: (f) => f.handlingDaysP90 },
  { header: '逾期任务数', kind: 'count', value: (f) => f.overdueTasks },
  { header: '催办次数', kind: 'count', value: (f) => f.urges },
  { header: '评价数', kind: 'count', value: (f) => f.rated },
  { header: '非常满意', kind: 'count', value: (f) => f.ratings[4] },
  { header: '满意', kind: 'count', value: (f) => f.ratings[3] },
  { header: '基本满意', kind: 'count', value: (f) => f.ratings[2] },
  { header: '不满意', kind: 'count', value: (f) => f.ratings[1] },
  { header: '非常不满意', kind: 'count', value: (f) => f.ratings[0] },
  { header: '满意率', kind: 'rate', value: (f) => f.satisfactionRate },
  { header: '整改数', kind: 'count', value: (f) => f.followUps },
  { header: '按时整改数', kind: 'count', value: (f) => f.followUpsOnTime },
  { header: '整改按时率', kind: 'rate', value: (f) => f.followUpOnTimeRate },
];

/** The columns that say what a row is about, per level. */
export const IDENTITY_HEADERS: Record<EvaluationLevel, readonly string[]> = {
  university: [],
  unit: ['单位代码', '单位名称'],
  item: ['单位代码', '单位名称', '事项编码', '事项名称'],
};

/** A cell: text, a number, or empty (a rate or average without a denominator). */
export type Cell = string | number | null;

/** A row's identity cells, as IDENTITY_HEADERS[level] names them. */
export function identityCells(row: EvaluationRow): Cell[] {
  const unit = row.unit ? [row.unit.code, row.unit.name] : [];
  const item = row.item ? [row.item.code, row.item.name] : [];
  return row.level === 'university' ? [] : row.level === 'unit' ? unit : [...unit, ...item];
}

export const figureCells = (f: Figures): Cell[] => FIGURE_COLUMNS.map((c) => c.value(f));

/** The header of the one-table form (CSV): the level, every identity column, every figure. */
export const FLAT_HEADERS: readonly string[] = [
  '层级',
  ...IDENTITY_HEADERS.item,
  ...FIGURE_COLUMNS.map((c) => c.header),
];

/** A row in the one-table form: identity columns a level lacks are empty. */
export function flatCells(row: EvaluationRow): Cell[] {
  return [
    LEVEL_NAMES[row.level],
    row.unit?.code ?? null,
    row.unit?.name ?? null,
    row.item?.code ?? null,
    row.item?.name ?? null,
    ...figureCells(row.figures),
  ];
}

/** The definitions (指标说明), in Chinese, for the workbook's definitions sheet. */
export const DEFINITIONS_ZH: ReadonlyArray<readonly [string, string]> = [
  ['年度', '按中国时间（UTC+8）的自然年：当年1月1日0时至次年1月1日0时。'],
  [
    '截止时间',
    '统计截止时刻：年度已结束为次年1月1日0时（UTC+8）；年度未结束为导出时刻，此时结果为临时数据。只统计截止时间之前发生的事项，故往年结果可重现。',
  ],
  ['受理量', '首次提交（受理）时间在本年度内的申请数。'],
  ['办结量', '受理量中，在截止时间前以“办结”或“不予办理（驳回）”结束的申请数；撤回、取消不计。'],
  ['办结率', '办结量 ÷ 受理量。'],
  ['按时办结量', '办结的申请中，其所有环节任务均未在期限之后办理的申请数。'],
  ['按时办结率', '按时办结量 ÷ 办结量。'],
  [
    '平均办理时长（工作日）',
    '办结申请的办理时长平均值（保留两位小数）。办理时长为受理日（不含）至办结日（含）之间按学校校历计算的工作日数，同日办结为0。',
  ],
  ['办理时长90分位（工作日）', '办结申请办理时长的第90百分位数（最近秩法）。'],
  [
    '逾期任务数',
    '本单位申请的环节任务中，期限在本年度内且在截止时间之前、而在期限之后才办理或截止时仍未办理（待办、等待中）的任务数。',
  ],
  ['催办次数', '本年度内（截止时间前）申请人对本单位申请的催办次数。'],
  [
    '评价数及各等级',
    '本年度内（截止时间前）对本单位申请作出的好差评数，按非常满意、满意、基本满意、不满意、非常不满意五个等级分列。',
  ],
  ['满意率', '（满意 + 非常满意）÷ 评价数。'],
  ['整改数', '本年度内（截止时间前）因差评发起的整改数。'],
  ['按时整改数', '整改中，已办结且办结时间不晚于整改期限、并在截止时间之前办结的整改数。'],
  ['整改按时率', '按时整改数 ÷ 整改数。'],
  ['比率', '比率以小数保留四位（表格中以百分比显示）；分母为0时留空。'],
  ['层级', '全校：全校合计；单位：有服务事项的每个单位（含无数据的单位）；事项：有受理申请或当前在线的每个服务事项。'],
];
