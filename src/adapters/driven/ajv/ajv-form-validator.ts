import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FieldProblem } from '../../../domain/shared/errors.js';
import type { FormValidator } from '../../../application/ports/form-validator.port.js';
import { createAjv } from './ajv-form-schema-checker.js';
import { formDataBoundProblems } from './form-data-bounds.js';

/** Where the offending field is: a missing required field is reported at its own path. */
function path(e: ErrorObject): string {
  const p = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required' && p.missingProperty) return `${e.instancePath}/${p.missingProperty}`;
  if (e.keyword === 'additionalProperties' && p.additionalProperty) return `${e.instancePath}/${p.additionalProperty}`;
  return e.instancePath || '/';
}

/** Versions are immutable once launched, so a compiled schema per version id stays valid. */
export class AjvFormValidator implements FormValidator {
  private readonly ajv = createAjv();
  private readonly compiled = new Map<string, ValidateFunction>();

  validate(o: { key: string; schema: unknown; data: unknown }): FieldProblem[] {
    const bounds = formDataBoundProblems(o.data);
    if (bounds.length) return bounds;
    let fn = this.compiled.get(o.key);
    if (!fn) {
      try {
        fn = this.ajv.compile(o.schema as object);
      } catch (e) {
        // only a version stored before today's form checks (the launch gate now refuses it) gets here
        const why = e instanceof Error ? e.message : String(e);
        return [
          { path: '/', message: `this form cannot be checked (${why}): the service item's form must be changed` },
        ];
      }
      if (this.compiled.size > 1000) this.compiled.clear();
      this.compiled.set(o.key, fn);
    }
    if (fn(o.data)) return [];
    return (fn.errors ?? []).map((e) => ({ path: path(e), message: e.message ?? 'invalid' }));
  }
}
