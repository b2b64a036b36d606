import type { FieldProblem } from '../../domain/shared/errors.js';

/** Checks that a form's JSON Schema compiles; problems are reported under `basePath`. */
export interface FormSchemaChecker {
  check(schema: unknown, basePath: string): FieldProblem[];
}
