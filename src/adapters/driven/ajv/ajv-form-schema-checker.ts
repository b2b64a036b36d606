import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldProblem } from '../../../domain/shared/errors.js';
import type { FormSchemaChecker } from '../../../application/ports/form-schema-checker.port.js';
import { linearRegExp, patternProblems } from './linear-patterns.js';

// ajv-formats is CommonJS with exports.default
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

/**
 * Forms are JSON Schema (draft 2020-12 keywords ajv 8 supports); custom 'x-' annotations are allowed.
 * Their patterns run on a linear-time engine: an admin's pattern cannot be made to backtrack.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: 'log', logger: false, code: { regExp: linearRegExp } });
  addFormats(ajv);
  ajv.addVocabulary(['x-sensitive', 'x-widget', 'x-order']);
  return ajv;
}

function pointer(e: ErrorObject): string {
  return e.instancePath || '';
}

export class AjvFormSchemaChecker implements FormSchemaChecker {
  private readonly ajv = createAjv();

  check(schema: unknown, basePath: string): FieldProblem[] {
    if (typeof schema !== 'object' || schema === null) return []; // shape problems are the domain validator's
    const valid = this.ajv.validateSchema(schema as object);
    if (!valid) {
      return (this.ajv.errors ?? []).map((e) => ({
        path: `${basePath}${pointer(e)}`,
        message: `not a valid JSON Schema: ${e.message ?? 'invalid'}`,
      }));
    }
    const patterns = patternProblems(schema, basePath);
    if (patterns.length) return patterns;
    try {
      this.ajv.compile(schema as object);
      return [];
    } catch (e) {
      return [
        { path: basePath, message: `the form schema does not compile: ${e instanceof Error ? e.message : String(e)}` },
      ];
    }
  }
}
