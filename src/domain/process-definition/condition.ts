import type { FieldProblem } from '../shared/errors.js';

/**
 * Node conditions: a safe, declarative subset of JSON Logic over the form data and the applicant's
 * attributes, checked here when the definition is saved (evaluated by a library adapter at run time).
 * Example: { ">": [{ "var": "form.days" }, 3] }, { "==": [{ "var": "applicant.type" }, "student"] }.
 */
export type Condition = Record<string, unknown>;

export interface FieldType {
  type: 'number' | 'string' | 'boolean' | 'unknown';
  enum?: readonly unknown[];
}

type Arity = number | [min: number, max: number] | 'many';
const OPERATORS: Record<string, Arity> = {
  '==': 2,
  '!=': 2,
  '===': 2,
  '!==': 2,
  '>': 2,
  '>=': 2,
  '<': [2, 3],
  '<=': [2, 3],
  and: 'many',
  or: 'many',
  '!': 1,
  '!!': 1,
  in: 2,
};
const COMPARISONS = new Set(['==', '!=', '===', '!==', '>', '>=', '<', '<=']);
const ORDERING = new Set(['>', '>=', '<', '<=']);

export const APPLICANT_FIELDS: ReadonlyMap<string, FieldType> = new Map<string, FieldType>([
  ['applicant.type', { type: 'string', enum: ['staff', 'student'] }],
  ['applicant.unit', { type: 'string' }],
]);

/** The type a form property's JSON Schema declares, as far as conditions care. */
export function fieldTypeOf(schema: Record<string, unknown>): FieldType {
  const t = schema.type;
  const type = t === 'number' || t === 'integer' ? 'number' : t === 'string' || t === 'boolean' ? t : 'unknown';
  return Array.isArray(schema.enum) ? { type, enum: schema.enum } : { type };
}

type Inferred = {
  kind: 'number' | 'string' | 'boolean' | 'null' | 'array' | 'unknown';
  field?: string;
  enum?: readonly unknown[];
  literal?: unknown;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const seg = (path: string, s: string | number) => `${path}/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Every problem of a condition, at JSON pointers under `path`. */
export function checkCondition(cond: unknown, fields: ReadonlyMap<string, FieldType>, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isObject(cond) || Object.keys(cond).length !== 1 || 'var' in cond) {
    return [{ path, message: 'must be one JSON Logic operation such as { ">": [{ "var": "form.days" }, 3] }' }];
  }
  infer(cond, fields, path, problems);
  return problems;
}

function infer(e: unknown, fields: ReadonlyMap<string, FieldType>, path: string, problems: FieldProblem[]): Inferred {
  if (e === null) return { kind: 'null' };
  if (typeof e === 'number' || typeof e === 'string' || typeof e === 'boolean')
    return { kind: typeof e as 'number' | 'string' | 'boolean', literal: e };
  if (Array.isArray(e)) {
    e.forEach((x, i) => {
      if (isObject(x)) problems.push({ path: seg(path, i), message: 'array members must be literals' });
    });
    return { kind: 'array' };
  }
  if (!isObject(e) || Object.keys(e).length !== 1) {
    problems.push({ path, message: 'must be a literal or an object with exactly one operator' });
    return { kind: 'unknown' };
  }
  const [op, raw] = Object.entries(e)[0]!;
  const opPath = seg(path, op);
  if (op === 'var') return variable(raw, fields, opPath, problems);
  const arity = OPERATORS[op];
  if (arity === undefined) {
    problems.push({
      path: opPath,
      message: `unknown operator '${op}' (allowed: var, ${Object.keys(OPERATORS).join(', ')})`,
    });
    return { kind: 'unknown' };
  }
  const args = Array.isArray(raw) ? raw : [raw];
  const [min, max] = arity === 'many' ? [1, Infinity] : typeof arity === 'number' ? [arity, arity] : arity;
  if (args.length < min || args.length > max) {
    problems.push({
      path: opPath,
      message: `'${op}' takes ${max === Infinity ? `at least ${min}` : min === max ? min : `${min} to ${max}`} argument(s)`,
    });
  }
  const types = args.map((a, i) => infer(a, fields, Array.isArray(raw) ? seg(opPath, i) : opPath, problems));
  if (COMPARISONS.has(op)) compare(op, types, opPath, problems);
  if (op === 'in' && types[1] && !['array', 'string', 'unknown'].includes(types[1].kind)) {
    problems.push({ path: seg(opPath, 1), message: "'in' needs an array or a string to look in" });
  }
  return { kind: COMPARISONS.has(op) || ['and', 'or', '!', '!!', 'in'].includes(op) ? 'boolean' : 'unknown' };
}

function variable(
  raw: unknown,
  fields: ReadonlyMap<string, FieldType>,
  path: string,
  problems: FieldProblem[],
): Inferred {
  const name = Array.isArray(raw) ? raw[0] : raw;
  if (typeof name !== 'string') {
    problems.push({ path, message: 'must name a field, e.g. "form.days" or "applicant.type"' });
    return { kind: 'unknown' };
  }
  const field = fields.get(name);
  if (!field) {
    problems.push({
      path,
      message: `unknown field '${name}' (use form.<property> or ${[...APPLICANT_FIELDS.keys()].join(', ')})`,
    });
    return { kind: 'unknown' };
  }
  return { kind: field.type, field: name, enum: field.enum };
}

function compare(op: string, types: Inferred[], path: string, problems: FieldProblem[]): void {
  const fieldSide = types.find((t) => t.field);
  if (ORDERING.has(op)) {
    types.forEach((t, i) => {
      if (t.kind !== 'number' && t.kind !== 'unknown')
        problems.push({
          path: seg(path, i),
          message: `'${op}' compares numbers, not ${t.kind === 'string' && t.field ? `the text field ${t.field}` : t.kind}`,
        });
    });
    return;
  }
  if (!fieldSide || fieldSide.kind === 'unknown') return;
  types.forEach((t, i) => {
    if (t === fieldSide || t.field || t.kind === 'unknown' || t.kind === 'null') return;
    if (t.kind !== fieldSide.kind) {
      problems.push({
        path: seg(path, i),
        message: `${fieldSide.field} is a ${fieldSide.kind}; it cannot equal a ${t.kind}`,
      });
    } else if (fieldSide.enum && t.literal !== undefined && !fieldSide.enum.includes(t.literal)) {
      problems.push({
        path: seg(path, i),
        message: `${JSON.stringify(t.literal)} is not a value ${fieldSide.field} can take (${fieldSide.enum.map((v) => JSON.stringify(v)).join(', ')})`,
      });
    }
  });
}
