import type { FieldProblem } from '../../../domain/shared/errors.js';

/**
 * How deeply a request's JSON may nest. Forms and JSON Logic conditions written by people stay far
 * below it; a body nested thousands of levels deep would overflow the stack of whatever recursive
 * code (zod, ajv, json-logic, the jsonb encoder) reads it next.
 */
export const MAX_NESTING = 64;

/** A body of a megabyte could hold tens of thousands of bad strings: the answer names the first ones. */
const MAX_REPORTED = 50;

const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export type InputPlace = 'path' | 'query' | 'body';
export type PlacedProblem = FieldProblem & { in: InputPlace };

/** What is wrong with a piece of text PostgreSQL cannot store (text and jsonb refuse both), if anything. */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (s.search(LONE_SURROGATES) >= 0) return 'must be well-formed Unicode: it holds a lone surrogate (U+D800-U+DFFF)';
  return undefined;
}

/** A JSON pointer segment; a key that is itself bad text is shown with its bad characters replaced. */
function segment(key: string | number): string {
  const s = String(key).replaceAll('\u0000', '\ufffd').replace(LONE_SURROGATES, '\ufffd');
  return `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * Every string (and object key) in the parsed path parameters, query and body that PostgreSQL
 * would refuse, and every value nested deeper than MAX_NESTING, as field problems. The walk is
 * iterative, so however deep the input it cannot overflow the stack itself.
 */
export function unsafeInputProblems(sources: ReadonlyArray<{ in: InputPlace; value: unknown }>): PlacedProblem[] {
  const problems: PlacedProblem[] = [];
  for (const source of sources) {
    const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: source.value, path: '', depth: 0 }];
    while (stack.length && problems.length < MAX_REPORTED) {
      const { value, path, depth } = stack.pop()!;
      if (typeof value === 'string') {
        const message = textProblem(value);
        if (message) problems.push({ in: source.in, path: path || '/', message });
        continue;
      }
      if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) continue;
      if (depth >= MAX_NESTING) {
        problems.push({ in: source.in, path: path || '/', message: `must not nest more than ${MAX_NESTING} levels` });
        continue;
      }
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      // pushed in reverse so problems come out in document order
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = `${path}${segment(key)}`;
        const keyProblem = typeof key === 'string' ? textProblem(key) : undefined;
        if (keyProblem) problems.push({ in: source.in, path: childPath, message: `the property name ${keyProblem}` });
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return problems.slice(0, MAX_REPORTED);
}
