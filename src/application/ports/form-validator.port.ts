import type { FieldProblem } from '../../domain/shared/errors.js';

/** Validates form data against a version's JSON Schema; every problem at once, as JSON pointers. */
export interface FormValidator {
  /** `key` identifies the schema (a version id) so it is compiled once. */
  validate(options: { key: string; schema: unknown; data: unknown }): FieldProblem[];
}
