import type { FieldProblem } from '../../../domain/shared/errors.js';

/**
 * Bounds on form data before it is validated. Some JSON Schema keywords cost more than linear
 * time (`uniqueItems` compares every pair of items that are not plain values): with at most this
 * many items per array, and this many values in all, no form an admin defines can be made to
 * validate for long. Real forms stay far below both.
 */
export const MAX_FORM_ARRAY_ITEMS = 1000;
export const MAX_FORM_VALUES = 20_000;

const segment = (key: string | number) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** The arrays that are too long, and the form itself when it holds too many values; [] when within bounds. */
export function formDataBoundProblems(data: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value: data, path: '' }];
  let values = 0;
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (++values > MAX_FORM_VALUES) return [{ path: '/', message: `a form holds at most ${MAX_FORM_VALUES} values` }];
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > MAX_FORM_ARRAY_ITEMS) {
        problems.push({ path: path || '/', message: `must NOT have more than ${MAX_FORM_ARRAY_ITEMS} items` });
        continue;
      }
      value.forEach((v, i) => stack.push({ value: v, path: `${path}${segment(i)}` }));
    } else for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: `${path}${segment(k)}` });
  }
  return problems;
}
