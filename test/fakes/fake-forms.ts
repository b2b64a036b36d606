import type { FieldProblem } from '../../src/domain/shared/errors.js';
import type { ConditionEvaluator } from '../../src/application/ports/condition-evaluator.port.js';
import type { FormSchemaChecker } from '../../src/application/ports/form-schema-checker.port.js';
import type { FormValidator } from '../../src/application/ports/form-validator.port.js';

type Schema = {
  type?: unknown;
  required?: unknown;
  properties?: Record<string, { type?: unknown; minimum?: unknown }>;
  additionalProperties?: unknown;
};

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
const isType = (v: unknown, type: unknown): boolean =>
  type === undefined || typeOf(v) === type || (type === 'number' && typeof v === 'number');

/**
 * The part of JSON Schema the tests' forms use — required, additionalProperties: false, and each
 * top-level property's type and minimum — reported at the paths AjvFormValidator reports them
 * ('/field'; '/' for the form itself). It counts its calls per schema key, as the real one compiles once per key.
 */
export class FakeFormValidator implements FormValidator {
  readonly keys: string[] = [];

  validate(o: { key: string; schema: unknown; data: unknown }): FieldProblem[] {
    this.keys.push(o.key);
    const schema = o.schema as Schema;
    if (typeOf(o.data) !== 'object') return [{ path: '/', message: 'must be object' }];
    const data = o.data as Record<string, unknown>;
    const props = schema.properties ?? {};
    const problems: FieldProblem[] = [];
    for (const name of (Array.isArray(schema.required) ? schema.required : []) as string[]) {
      if (!(name in data)) problems.push({ path: `/${name}`, message: `must have required property '${name}'` });
    }
    for (const [name, value] of Object.entries(data)) {
      const p = props[name];
      if (!p) {
        if (schema.additionalProperties === false)
          problems.push({ path: `/${name}`, message: 'must NOT have additional properties' });
        continue;
      }
      if (!isType(value, p.type)) problems.push({ path: `/${name}`, message: `must be ${String(p.type)}` });
      else if (typeof p.minimum === 'number' && typeof value === 'number' && value < p.minimum)
        problems.push({ path: `/${name}`, message: `must be >= ${p.minimum}` });
    }
    return problems;
  }
}

/** A form schema "compiles" when every property names a JSON type. */
export class FakeFormSchemaChecker implements FormSchemaChecker {
  check(schema: unknown, basePath: string): FieldProblem[] {
    if (typeof schema !== 'object' || schema === null) return [];
    return Object.entries((schema as Schema).properties ?? {})
      .filter(([, p]) => p.type !== undefined && !JSON_TYPES.includes(p.type as string))
      .map(([name]) => ({
        path: `${basePath}/properties/${name}/type`,
        message: 'not a valid JSON Schema: must be a JSON type',
      }));
  }
}

type Logic = Record<string, unknown>;

/**
 * A little JSON Logic (var, comparisons, and/or/!): enough for the conditions the tests write.
 * Like JsonLogicConditionEvaluator, a condition it cannot evaluate keeps its node.
 */
export class FakeConditionEvaluator implements ConditionEvaluator {
  holds(condition: Logic, data: { form: Record<string, unknown>; applicant: { type: string; unit: string } }): boolean {
    try {
      return Boolean(evaluate(condition, data));
    } catch {
      return true;
    }
  }
}

function evaluate(rule: unknown, data: unknown): unknown {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return rule;
  const [op, raw] = Object.entries(rule as Logic)[0] ?? [];
  const args = (Array.isArray(raw) ? raw : [raw]).map((a) => (op === 'var' ? a : evaluate(a, data)));
  const [a, b] = args as [never, never];
  switch (op) {
    case 'var':
      return String(a)
        .split('.')
        .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
    case '==':
    case '===':
      return a === b;
    case '!=':
    case '!==':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case 'and':
      return args.every(Boolean);
    case 'or':
      return args.some(Boolean);
    case '!':
      return !a;
    default:
      throw new Error(`unsupported operator ${String(op)}`);
  }
}
