import type { z } from 'zod';
import type { FieldProblem } from '../../../domain/shared/errors.js';

const pointer = (segments: ReadonlyArray<PropertyKey>) =>
  segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Every zod issue as a field problem with a JSON pointer; unknown keys each get their own entry. */
export function zodProblems(error: z.ZodError, where: 'body' | 'query' | 'path'): Array<FieldProblem & { in: string }> {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ in: where, path: pointer([...issue.path, k]), message: 'unknown property' }));
    }
    return [{ in: where, path: pointer(issue.path), message: issue.message }];
  });
}
