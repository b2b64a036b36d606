/**
 * The months the audit log is partitioned and archived by: calendar months of China Standard Time
 * (UTC+8, no daylight saving), written `YYYY-MM`. An instant belongs to exactly one of them:
 * 2026-11 is [2026-10-31T16:00:00Z, 2026-11-30T16:00:00Z).
 */
export const MONTH_UTC_OFFSET_HOURS = 8;

const OFFSET_MS = MONTH_UTC_OFFSET_HOURS * 3_600_000;

/** The month (`YYYY-MM`, UTC+8) an instant is in. */
export function monthOf(at: Date): string {
  const local = new Date(at.getTime() + OFFSET_MS);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** True for a well-formed month, `YYYY-MM` with MM in 01..12. */
export function isMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

/** The month `n` months after `month` (before, for a negative n). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The first instant of the month. */
export function monthStart(month: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1) - OFFSET_MS);
}

/** The first instant after the month (the start of the next one). */
export function monthEnd(month: string): Date {
  return monthStart(addMonths(month, 1));
}

/**
 * Whether a month may leave the database under a retention of `retentionMonths`: it ended more
 * than that many months ago (its end plus the retention, in calendar months, is not after `now`).
 */
export function retentionOver(month: string, retentionMonths: number, now: Date): boolean {
  return monthEnd(addMonths(month, retentionMonths)).getTime() <= now.getTime();
}
