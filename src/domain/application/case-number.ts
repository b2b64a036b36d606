/**
 * 办件编号 from a pattern such as '{year}-{unit}-{seq:6}' -> '2026-JW-000123'.
 * Placeholders: {year}, {unit} (the owning unit's code), {seq} or {seq:N} (zero-padded to N digits).
 */
export const DEFAULT_CASE_NUMBER_PATTERN = '{year}-{unit}-{seq:6}';

export function isValidCaseNumberPattern(pattern: string): boolean {
  const rest = pattern.replace(/\{year\}|\{unit\}|\{seq(?::\d{1,2})?\}/g, '');
  return /\{seq(?::\d{1,2})?\}/.test(pattern) && !/[{}]/.test(rest) && /^[A-Za-z0-9_-]*$/.test(rest);
}

export function formatCaseNumber(pattern: string, v: { year: number; unit: string; seq: number }): string {
  return pattern
    .replace(/\{year\}/g, String(v.year))
    .replace(/\{unit\}/g, v.unit)
    .replace(/\{seq(?::(\d{1,2}))?\}/g, (_m, width?: string) => String(v.seq).padStart(width ? Number(width) : 0, '0'));
}
