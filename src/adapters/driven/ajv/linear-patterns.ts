import type { CodeOptions } from 'ajv';
import { RE2JS } from 're2js';
import safeRegex from 'safe-regex2';
import type { FieldProblem } from '../../../domain/shared/errors.js';

/** Longer patterns are no form's business, and keep compiling them cheap. */
export const MAX_PATTERN_LENGTH = 1000;

function compileLinear(pattern: string): RE2JS {
  return RE2JS.compile(RE2JS.translateRegExp(pattern));
}

/**
 * The regular expression engine of form schemas (ajv's `code.regExp`): RE2 semantics, matching in
 * time linear in the input whatever the pattern, so an applicant's input can never make a form's
 * `pattern` or `patternProperties` backtrack. JavaScript syntax is translated (\d, \u4e00, …);
 * what RE2 cannot do in linear time (lookaround, backreferences) does not compile.
 */
export const linearRegExp: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string, _unicode: string) => {
    const re = compileLinear(pattern);
    return { test: (s: string) => re.test(s), toString: () => `re2:${pattern}` };
  },
  { code: 're2js' },
);

/** Keywords whose values are data, not schemas: a `pattern` member inside them is not a keyword. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
/** Keywords whose members are named schemas: there `pattern` or `default` is a name, not a keyword. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

const pointer = (path: string, key: string) => `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    compileLinear(pattern);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return `the pattern is not accepted (${why}): patterns must run in linear time, without lookaround or backreferences`;
  }
  if (!safeRegex(pattern)) {
    return 'the pattern can backtrack catastrophically (a quantified group inside another quantifier, e.g. (a+)+): rewrite it without nested repetition';
  }
  return undefined;
}

/**
 * Every regular expression a form schema holds (`pattern` values and `patternProperties` keys,
 * at any depth) that could run in more than linear time or that the linear engine refuses, at its
 * JSON pointer under `basePath`. Such a form is refused when saved and at the launch gate; the
 * linear engine is the second line, should a pattern slip past the check.
 */
export function patternProblems(schema: unknown, basePath: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<{ node: unknown; path: string; names?: boolean }> = [{ node: schema, path: basePath }];
  while (stack.length) {
    const { node, path, names } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: `${path}/${i}` }));
      continue;
    }
    if (names) {
      for (const [key, value] of Object.entries(node)) stack.push({ node: value, path: pointer(path, key) });
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (DATA_KEYWORDS.has(key)) continue;
      const at = pointer(path, key);
      if (key === 'pattern' && typeof value === 'string') {
        const message = patternProblem(value);
        if (message) problems.push({ path: at, message });
        continue;
      }
      if (key === 'patternProperties' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const p of Object.keys(value)) {
          const message = patternProblem(p);
          if (message) problems.push({ path: pointer(at, p), message: `patternProperties key: ${message}` });
        }
      }
      stack.push({ node: value, path: at, names: SCHEMA_MAPS.has(key) });
    }
  }
  return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
