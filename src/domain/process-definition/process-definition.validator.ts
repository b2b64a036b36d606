/**
 * Validates an untrusted process definition (e.g. a request body) against the format and the
 * existing units, roles and people. Reports every problem at once, each at its JSON-pointer path.
 */
import { InputError, type FieldProblem } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import {
  MAX_NODES,
  MIN_NODES,
  type DefinitionReferences,
  type FormSchema,
  type ProcessDefinition,
} from './process-definition.js';
import { checkGraph } from './process-definition.graph.js';
import { APPLICANT_FIELDS, fieldTypeOf, type FieldType } from './condition.js';
import { at, checkNode, isPlainObject, normalizeNode, reportUnknown } from './process-definition.shape.js';

export const PROCESS_DEFINITION_INVALID = 'PROCESS_DEFINITION.INVALID';

/**
 * On success the definition comes back as a fresh object with defaults applied (mode 'any' on
 * non-start nodes), node names trimmed and unknown members gone; the form is deep-copied as is.
 */
export function validateProcessDefinition(
  input: unknown,
  refs: DefinitionReferences,
): Result<ProcessDefinition, InputError> {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(input)) {
    problems.push({ path: '', message: 'must be an object' });
    return invalid(problems);
  }
  reportUnknown(input, ['form', 'nodes'], '', problems);
  const formProperties = checkForm(input.form, problems);

  const nodes = input.nodes;
  if (nodes === undefined) problems.push({ path: '/nodes', message: 'is required' });
  else if (!Array.isArray(nodes)) problems.push({ path: '/nodes', message: 'must be an array' });
  else {
    if (nodes.length < MIN_NODES || nodes.length > MAX_NODES) {
      problems.push({ path: '/nodes', message: `must have ${MIN_NODES} to ${MAX_NODES} nodes` });
    }
    const conditionFields = formProperties
      ? conditionFieldsOf(input.form as { properties: Record<string, unknown> })
      : undefined;
    const facts = nodes.map((raw: unknown, i) =>
      checkNode(raw, i, { refs, formProperties, problems, conditionFields }),
    );
    if (facts.length > 0) checkGraph(facts, problems);
  }

  if (problems.length > 0) return invalid(problems);
  return ok({
    form: copyJson(input.form) as FormSchema,
    nodes: (nodes as unknown[]).map(normalizeNode),
  });
}

function conditionFieldsOf(form: { properties: Record<string, unknown> }): ReadonlyMap<string, FieldType> {
  const fields = new Map(APPLICANT_FIELDS);
  for (const [name, schema] of Object.entries(form.properties)) {
    if (isPlainObject(schema)) fields.set(`form.${name}`, fieldTypeOf(schema));
  }
  return fields;
}

function invalid(problems: FieldProblem[]): Result<never, InputError> {
  return err(new InputError(PROCESS_DEFINITION_INVALID, 'The process definition is invalid', problems));
}

/** Checks the form's outline; returns its top-level property names when they can be known. */
function checkForm(form: unknown, problems: FieldProblem[]): ReadonlySet<string> | undefined {
  if (form === undefined) {
    problems.push({ path: '/form', message: 'is required' });
    return undefined;
  }
  if (!isPlainObject(form)) {
    problems.push({ path: '/form', message: 'must be an object' });
    return undefined;
  }
  if (form.type !== 'object') problems.push({ path: '/form/type', message: "must be 'object'" });
  const properties = form.properties;
  if (properties === undefined) {
    problems.push({ path: '/form/properties', message: 'is required' });
    return undefined;
  }
  if (!isPlainObject(properties)) {
    problems.push({ path: '/form/properties', message: 'must be an object' });
    return undefined;
  }
  for (const [name, schema] of Object.entries(properties)) {
    if (!isPlainObject(schema)) {
      problems.push({ path: at('/form/properties', name), message: 'must be an object (a JSON Schema)' });
    }
  }
  return new Set(Object.keys(properties));
}

function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(value)) {
      // defineProperty keeps an own '__proto__' member a plain data member.
      Object.defineProperty(copy, name, {
        value: copyJson(member),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}
