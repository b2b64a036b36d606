/**
 * Shape checks of one process node (types, ranges, patterns, unknown members, kind-dependent
 * required/forbidden members) plus the reference checks that need only the node itself.
 * Every problem is appended to `problems`; nothing throws.
 */
import { checkCondition, type FieldType } from './condition.js';
import type { FieldProblem } from '../shared/errors.js';
import {
  APPLICANT_AS_APPROVER,
  CONNECTOR_PATTERN,
  HOURS_RANGE,
  MAX_PEOPLE,
  NODE_KEY_PATTERN,
  NODE_KINDS,
  NODE_NAME_MAX_LENGTH,
  SIGN_MODES,
  TIMEOUT_ACTIONS,
  DECIDING_TIMEOUT_KINDS,
  WORKING_DAYS_RANGE,
  isApplicantUnitRef,
  isGatewayKind,
  type DefinitionReferences,
  type GatewayKind,
  type FieldAccess,
  type HandlerRule,
  type NodeKind,
  type ProcessNodeDefinition,
  type ApplicantAsApprover,
  type SignMode,
  type TimeLimit,
  type TimeoutAction,
} from './process-definition.js';

export type JsonObject = Record<string, unknown>;

/** What the graph checks need to know about one element of `nodes`, valid or not. */
export interface NodeFacts {
  readonly index: number;
  /** The key when it is a string, well-formed or not. */
  readonly key: string | undefined;
  readonly keyWellFormed: boolean;
  /** undefined when missing or not a known kind. */
  readonly kind: NodeKind | undefined;
  /** Whether a `next` member is present at all. */
  readonly hasNext: boolean;
  /** The `next` array when it is an array and the node is not complete. */
  readonly next: readonly unknown[] | undefined;
}

export interface ShapeContext {
  readonly refs: DefinitionReferences;
  /** Names of the form's top-level properties; undefined when the form is too broken to tell. */
  readonly formProperties: ReadonlySet<string> | undefined;
  readonly problems: FieldProblem[];
  /** Fields a condition may read (form.* and applicant.*); undefined when the form is too broken to tell. */
  readonly conditionFields?: ReadonlyMap<string, FieldType>;
}

export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Appends one JSON-pointer reference token to `base`. */
export function at(base: string, token: string | number): string {
  return `${base}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function reportUnknown(
  obj: JsonObject,
  allowed: readonly string[],
  path: string,
  problems: FieldProblem[],
): void {
  for (const name of Object.keys(obj)) {
    if (!allowed.includes(name)) problems.push({ path: at(path, name), message: 'unknown property' });
  }
}

const NODE_MEMBERS = [
  'key',
  'name',
  'kind',
  'handlers',
  'mode',
  'passRatio',
  'fields',
  'timeLimit',
  'next',
  'connector',
  'connectorFields',
  'condition',
  'whenApplicantIsApprover',
  'autoPassSameApprover',
  'printable',
  'conditions',
  'default',
  'onTimeout',
];
/** What a gateway may carry besides key, name, kind and next. */
const GATEWAY_MEMBERS = ['key', 'name', 'kind', 'next', 'conditions', 'default'];
const NOT_ON_START = 'is not allowed on a start node';

const oneOf = (values: readonly string[]): string => `must be one of ${values.map((v) => `'${v}'`).join(', ')}`;
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export function checkNode(raw: unknown, index: number, ctx: ShapeContext): NodeFacts {
  const path = at('/nodes', index);
  const { problems } = ctx;
  const problem = (member: string, message: string): void => {
    problems.push({ path: at(path, member), message });
  };
  if (!isPlainObject(raw)) {
    problems.push({ path, message: 'must be an object' });
    return { index, key: undefined, keyWellFormed: false, kind: undefined, hasNext: false, next: undefined };
  }
  reportUnknown(raw, NODE_MEMBERS, path, problems);

  const key = typeof raw.key === 'string' ? raw.key : undefined;
  const keyWellFormed = key !== undefined && NODE_KEY_PATTERN.test(key);
  if (raw.key === undefined) problem('key', 'is required');
  else if (key === undefined) problem('key', 'must be a string');
  else if (!keyWellFormed) {
    problem('key', "must be 1 to 40 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'");
  }

  if (raw.name === undefined) problem('name', 'is required');
  else if (typeof raw.name !== 'string') problem('name', 'must be a string');
  else if (raw.name.trim() === '') problem('name', 'must not be blank');
  else if (raw.name.trim().length > NODE_NAME_MAX_LENGTH)
    problem('name', `must be at most ${NODE_NAME_MAX_LENGTH} characters`);

  const kind = NODE_KINDS.find((k) => k === raw.kind);
  if (raw.kind === undefined) problem('kind', 'is required');
  else if (kind === undefined) problem('kind', oneOf(NODE_KINDS));
  const next = checkNext(raw, kind, path, problems);
  if (isGatewayKind(kind)) {
    checkGateway(raw, kind, next, path, ctx);
    return { index, key, keyWellFormed, kind, hasNext: raw.next !== undefined, next };
  }
  for (const member of ['conditions', 'default'])
    if (raw[member] !== undefined) problem(member, 'is allowed only on exclusive and inclusive gateways');

  // handlers and timeLimit: required on every known kind except start, forbidden on start.
  if (kind === 'start') {
    if (raw.handlers !== undefined) problem('handlers', NOT_ON_START);
    if (raw.timeLimit !== undefined) problem('timeLimit', NOT_ON_START);
  } else {
    if (raw.handlers !== undefined) checkHandlers(raw.handlers, at(path, 'handlers'), ctx);
    else if (kind !== undefined) problem('handlers', 'is required');
    if (raw.timeLimit !== undefined) checkTimeLimit(raw.timeLimit, at(path, 'timeLimit'), problems);
    else if (kind !== undefined) problem('timeLimit', 'is required');
  }

  const modeKnown = raw.mode === undefined || SIGN_MODES.some((m) => m === raw.mode);
  if (raw.mode !== undefined) {
    if (kind === 'start') problem('mode', NOT_ON_START);
    else if (!modeKnown) problem('mode', oneOf(SIGN_MODES));
  }
  if (kind === 'start') {
    if (raw.passRatio !== undefined) problem('passRatio', NOT_ON_START);
  } else if (raw.mode === 'ratio' && raw.passRatio === undefined) {
    problem('passRatio', "is required when mode is 'ratio'");
  } else if (raw.passRatio !== undefined) {
    if (raw.mode !== 'ratio' && modeKnown) problem('passRatio', "is allowed only when mode is 'ratio'");
    else if (typeof raw.passRatio !== 'number' || !(raw.passRatio > 0 && raw.passRatio <= 1)) {
      problem('passRatio', 'must be a number greater than 0 and at most 1');
    }
  }

  if (raw.fields !== undefined) checkFields(raw.fields, at(path, 'fields'), ctx);

  const hasNext = raw.next !== undefined;

  if (raw.connector !== undefined) {
    if (kind !== undefined && kind !== 'transfer') problem('connector', 'is allowed only on transfer nodes');
    else if (typeof raw.connector !== 'string' || !CONNECTOR_PATTERN.test(raw.connector)) {
      problem('connector', "must be 1 to 64 characters: a lowercase letter, then lowercase letters, digits or '-'");
    } else if (!ctx.refs.connectors.has(raw.connector)) {
      const known = [...ctx.refs.connectors].sort();
      problem(
        'connector',
        `no business-system connector '${raw.connector}' is configured in this hall (${known.length ? `configured: ${known.join(', ')}` : 'none is configured'})`,
      );
    }
  }
  checkConnectorFields(raw, path, ctx);

  if (raw.whenApplicantIsApprover !== undefined) {
    if (kind === 'start') problem('whenApplicantIsApprover', NOT_ON_START);
    else if (!(APPLICANT_AS_APPROVER as readonly unknown[]).includes(raw.whenApplicantIsApprover))
      problem('whenApplicantIsApprover', oneOf(APPLICANT_AS_APPROVER));
  }
  if (raw.autoPassSameApprover !== undefined) {
    if (kind === 'start') problem('autoPassSameApprover', NOT_ON_START);
    else if (typeof raw.autoPassSameApprover !== 'boolean') problem('autoPassSameApprover', 'must be true or false');
  }
  if (raw.printable !== undefined && typeof raw.printable !== 'boolean') problem('printable', 'must be true or false');
  if (raw.condition !== undefined) {
    if (kind === 'start' || kind === 'complete') problem('condition', `is not allowed on a ${kind} node`);
    else if (ctx.conditionFields)
      problems.push(...checkCondition(raw.condition, ctx.conditionFields, at(path, 'condition')));
  }

  if (raw.onTimeout !== undefined) checkOnTimeout(raw.onTimeout, kind, at(path, 'onTimeout'), problems);

  return { index, key, keyWellFormed, kind, hasNext, next };
}

/** The `next` array when usable (entries are checked to be strings here, to name nodes in the graph checks). */
function checkNext(
  raw: JsonObject,
  kind: NodeKind | undefined,
  path: string,
  problems: FieldProblem[],
): readonly unknown[] | undefined {
  if (raw.next === undefined) return undefined;
  if (kind === 'complete') {
    problems.push({ path: at(path, 'next'), message: 'is not allowed on a complete node: it ends the process' });
    return undefined;
  }
  if (!Array.isArray(raw.next)) {
    problems.push({ path: at(path, 'next'), message: 'must be an array' });
    return undefined;
  }
  const next = raw.next as readonly unknown[];
  next.forEach((entry, j) => {
    if (typeof entry !== 'string') problems.push({ path: at(at(path, 'next'), j), message: 'must be a string' });
  });
  return next;
}

/**
 * A gateway routes and has no handlers. Conditions belong to exclusive and inclusive gateways, one per
 * named successor; when every flow is conditioned, a `default` must say where the application goes
 * when none holds: an application never waits on a gateway for nobody.
 */
function checkGateway(
  raw: JsonObject,
  kind: GatewayKind,
  next: readonly unknown[] | undefined,
  path: string,
  ctx: ShapeContext,
): void {
  const { problems } = ctx;
  const problem = (member: string, message: string): void => {
    problems.push({ path: at(path, member), message });
  };
  for (const name of Object.keys(raw)) {
    if (NODE_MEMBERS.includes(name) && !GATEWAY_MEMBERS.includes(name))
      problem(name, 'is not allowed on a gateway: a gateway routes, it has no handlers of its own');
  }
  const targets = new Set((next ?? []).filter((e): e is string => typeof e === 'string'));
  if (kind === 'parallel') {
    for (const member of ['conditions', 'default'])
      if (raw[member] !== undefined) problem(member, 'is not allowed on a parallel gateway: it takes every flow');
    return;
  }
  const conditioned = new Set<string>();
  if (raw.conditions !== undefined) {
    if (!isPlainObject(raw.conditions)) problem('conditions', 'must be an object: successor key -> condition');
    else if (next === undefined) problem('conditions', 'needs an explicit next naming the successors');
    else
      for (const [target, condition] of Object.entries(raw.conditions)) {
        const where = at(at(path, 'conditions'), target);
        if (!targets.has(target)) problems.push({ path: where, message: `'${target}' is not named in next` });
        else if (ctx.conditionFields) problems.push(...checkCondition(condition, ctx.conditionFields, where));
        conditioned.add(target);
      }
  }
  if (raw.default !== undefined) {
    if (typeof raw.default !== 'string') problem('default', 'must be a string');
    else if (!targets.has(raw.default)) problem('default', `'${raw.default}' is not named in next`);
    else if (conditioned.has(raw.default)) problem('default', 'the default flow has no condition');
  } else if (targets.size > 1 && [...targets].every((t) => conditioned.has(t))) {
    problem('default', 'is required when every outgoing flow has a condition: where to go when none holds');
  }
}

/** `onTimeout`: only where there is a time limit (not on start); approve/reject only where a clock may decide. */
function checkOnTimeout(value: unknown, kind: NodeKind | undefined, path: string, problems: FieldProblem[]): void {
  if (kind === 'start') {
    problems.push({ path, message: `${NOT_ON_START}: it has no time limit` });
    return;
  }
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be an object' });
    return;
  }
  reportUnknown(value, ['action'], path, problems);
  const action = at(path, 'action');
  if (value.action === undefined) problems.push({ path: action, message: 'is required' });
  else if (!(TIMEOUT_ACTIONS as readonly unknown[]).includes(value.action))
    problems.push({ path: action, message: oneOf(TIMEOUT_ACTIONS) });
  else if ((value.action === 'approve' || value.action === 'reject') && kind && !DECIDING_TIMEOUT_KINDS.includes(kind))
    problems.push({
      path: action,
      message: `'${value.action}' is allowed only on review and approve nodes: a ${kind} node's work is not done by a clock (use 'remind' or 'escalate')`,
    });
}

function checkHandlers(value: unknown, path: string, ctx: ShapeContext): void {
  const { problems, refs } = ctx;
  const problem = (member: string, message: string): void => {
    problems.push({ path: at(path, member), message });
  };
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be an object' });
    return;
  }
  if (value.type === 'role') {
    reportUnknown(value, ['type', 'role', 'unit'], path, problems);
    if (value.role === undefined) problem('role', 'is required');
    else if (!isNonEmptyString(value.role)) problem('role', 'must be a non-empty string');
    else if (!refs.roles.has(value.role)) problem('role', `role '${value.role}' does not exist`);
    if (value.unit === undefined) problem('unit', 'is required');
    else if (!isNonEmptyString(value.unit)) problem('unit', 'must be a non-empty string');
    else if (!isApplicantUnitRef(value.unit) && !refs.units.has(value.unit)) {
      problem('unit', `unit '${value.unit}' does not exist`);
    }
  } else if (value.type === 'people') {
    reportUnknown(value, ['type', 'people'], path, problems);
    const people = value.people;
    if (people === undefined) problem('people', 'is required');
    else if (!Array.isArray(people)) problem('people', 'must be an array');
    else {
      if (people.length < 1 || people.length > MAX_PEOPLE) problem('people', `must list 1 to ${MAX_PEOPLE} person ids`);
      const seen = new Set<string>();
      people.forEach((id: unknown, j) => {
        const entry = at(at(path, 'people'), j);
        if (!isNonEmptyString(id)) problems.push({ path: entry, message: 'must be a non-empty string' });
        else if (seen.has(id)) problems.push({ path: entry, message: `duplicate person '${id}'` });
        else if (!refs.people.has(id)) problems.push({ path: entry, message: `person '${id}' does not exist` });
        if (typeof id === 'string') seen.add(id);
      });
    }
  } else if (value.type === undefined) {
    problem('type', 'is required');
  } else {
    problem('type', oneOf(['role', 'people']));
  }
}

function checkTimeLimit(value: unknown, path: string, problems: FieldProblem[]): void {
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be an object' });
    return;
  }
  reportUnknown(value, ['workingDays', 'hours'], path, problems);
  const hasDays = value.workingDays !== undefined;
  const hasHours = value.hours !== undefined;
  if (hasDays === hasHours) problems.push({ path, message: 'must have exactly one of workingDays or hours' });
  const checkInt = (member: string, { min, max }: { min: number; max: number }): void => {
    const n = value[member];
    if (n !== undefined && !(Number.isInteger(n) && (n as number) >= min && (n as number) <= max)) {
      problems.push({ path: at(path, member), message: `must be an integer from ${min} to ${max}` });
    }
  };
  checkInt('workingDays', WORKING_DAYS_RANGE);
  checkInt('hours', HOURS_RANGE);
}

function checkFields(value: unknown, path: string, ctx: ShapeContext): void {
  const { problems, formProperties } = ctx;
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be an object' });
    return;
  }
  reportUnknown(value, ['visible', 'editable'], path, problems);
  /** The list's names that are strings and form properties (as far as known), with their indexes. */
  const checkList = (member: 'visible' | 'editable'): Array<[number, string]> | undefined => {
    const list = value[member];
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) {
      problems.push({ path: at(path, member), message: 'must be an array' });
      return undefined;
    }
    const names: Array<[number, string]> = [];
    list.forEach((name: unknown, j) => {
      const entry = at(at(path, member), j);
      if (typeof name !== 'string') problems.push({ path: entry, message: 'must be a string' });
      else if (formProperties && !formProperties.has(name)) {
        problems.push({ path: entry, message: `field '${name}' is not a property of the form` });
      } else names.push([j, name]);
    });
    return names;
  };
  const visible = checkList('visible');
  const editable = checkList('editable');
  if (visible && editable && Array.isArray(value.visible)) {
    const visibleNames = new Set((value.visible as unknown[]).filter((n) => typeof n === 'string'));
    for (const [j, name] of editable) {
      if (!visibleNames.has(name)) {
        problems.push({ path: at(at(path, 'editable'), j), message: `field '${name}' is editable but not visible` });
      }
    }
  }
}

/** What a connector receives is declared: form fields by name, only with a connector (Art. 15). */
function checkConnectorFields(raw: JsonObject, path: string, ctx: ShapeContext): void {
  const { problems, formProperties } = ctx;
  const member = at(path, 'connectorFields');
  if (raw.connectorFields === undefined) {
    if (raw.connector !== undefined && raw.kind === 'transfer') {
      problems.push({
        path: member,
        message: 'is required with a connector: the form fields the business system receives ([] for none)',
      });
    }
    return;
  }
  if (raw.connector === undefined) {
    problems.push({ path: member, message: 'is allowed only with a connector' });
    return;
  }
  if (!Array.isArray(raw.connectorFields)) {
    problems.push({ path: member, message: 'must be an array' });
    return;
  }
  const seen = new Set<string>();
  raw.connectorFields.forEach((name: unknown, j) => {
    const entry = at(member, j);
    if (typeof name !== 'string') problems.push({ path: entry, message: 'must be a string' });
    else if (formProperties && !formProperties.has(name)) {
      problems.push({ path: entry, message: `field '${name}' is not a property of the form` });
    } else if (seen.has(name)) problems.push({ path: entry, message: `field '${name}' is named twice` });
    else seen.add(name);
  });
}

/** Builds the clean node (defaults applied, unknown members dropped) from a node that passed every check. */
export function normalizeNode(raw: unknown): ProcessNodeDefinition {
  const r = raw as JsonObject;
  const kind = r.kind as NodeKind;
  const node: ProcessNodeDefinition = { key: r.key as string, name: (r.name as string).trim(), kind };
  if (isGatewayKind(kind)) {
    if (r.next !== undefined) node.next = [...(r.next as string[])];
    if (r.conditions !== undefined)
      node.conditions = JSON.parse(JSON.stringify(r.conditions)) as Record<string, Record<string, unknown>>;
    if (r.default !== undefined) node.default = r.default as string;
    return node;
  }
  if (r.handlers !== undefined) {
    const h = r.handlers as JsonObject;
    node.handlers = (
      h.type === 'role'
        ? { type: 'role', role: h.role as string, unit: h.unit as string }
        : { type: 'people', people: [...(h.people as string[])] }
    ) satisfies HandlerRule;
  }
  if (kind !== 'start') node.mode = (r.mode as SignMode | undefined) ?? 'any';
  if (r.passRatio !== undefined) node.passRatio = r.passRatio as number;
  if (r.fields !== undefined) {
    const f = r.fields as JsonObject;
    const fields: FieldAccess = {};
    if (f.visible !== undefined) fields.visible = [...(f.visible as string[])];
    if (f.editable !== undefined) fields.editable = [...(f.editable as string[])];
    node.fields = fields;
  }
  if (r.timeLimit !== undefined) {
    const t = r.timeLimit as JsonObject;
    node.timeLimit = (
      t.workingDays !== undefined ? { workingDays: t.workingDays as number } : { hours: t.hours as number }
    ) satisfies TimeLimit;
  }
  if (r.next !== undefined) node.next = [...(r.next as string[])];
  if (r.connector !== undefined) node.connector = r.connector as string;
  if (r.connectorFields !== undefined) node.connectorFields = [...(r.connectorFields as string[])];
  if (r.whenApplicantIsApprover !== undefined)
    node.whenApplicantIsApprover = r.whenApplicantIsApprover as ApplicantAsApprover;
  if (r.autoPassSameApprover !== undefined) node.autoPassSameApprover = r.autoPassSameApprover as boolean;
  if (r.printable !== undefined) node.printable = r.printable as boolean;
  if (r.onTimeout !== undefined) node.onTimeout = { action: (r.onTimeout as JsonObject).action as TimeoutAction };
  if (r.condition !== undefined) node.condition = JSON.parse(JSON.stringify(r.condition)) as Record<string, unknown>;
  return node;
}
