/**
 * Personal data in a form: the fields its JSON Schema marks `x-sensitive: true` (ID number, bank
 * account, phone, address, ...). Paths are JSON Pointers into the form, with `*` for every member of
 * an array or of a map (`/members/*\/phone`).
 */
export type PersonalDataHandling = 'mask' | 'omit';

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const unescape = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~');

/** How deep a form schema is followed: well past any real form, short of any recursion. */
const MAX_DEPTH = 32;

/**
 * The paths of the fields a form schema marks personal, sorted, each once. Follows
 * `properties`, `items`/`prefixItems`, `additionalProperties`, the branches of `allOf`/`anyOf`/
 * `oneOf`/`if`/`then`/`else`, and local `$ref`s into `$defs`/`definitions`. A marked object or
 * array is personal as a whole; so is a value where a schema refers back to itself (or nests past
 * any real form) and marks something below: more is hidden, never less.
 */
export function personalFieldPaths(formSchema: unknown): string[] {
  const root = isSchema(formSchema) ? formSchema : {};
  const found = new Set<string>();
  const visit = (schema: unknown, path: string, depth: number, refs: readonly string[]): void => {
    if (!isSchema(schema)) return;
    if (path !== '' && (schema['x-sensitive'] === true || (depth > MAX_DEPTH && marksAny(schema)))) {
      found.add(path);
      return;
    }
    if (depth > MAX_DEPTH) return;
    const ref = schema.$ref;
    if (typeof ref === 'string') {
      const target = resolve(root, ref);
      // a schema that refers to itself has no end of paths: what it reaches again is personal as a whole
      if (!refs.includes(ref)) visit(target, path, depth + 1, [...refs, ref]);
      else if (path !== '' && marksAny(target)) found.add(path);
    }
    for (const branch of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[branch];
      if (Array.isArray(list)) for (const s of list) visit(s, path, depth + 1, refs);
    }
    for (const branch of ['if', 'then', 'else'] as const) visit(schema[branch], path, depth + 1, refs);
    if (isSchema(schema.properties)) {
      for (const [key, s] of Object.entries(schema.properties)) visit(s, `${path}/${escape(key)}`, depth + 1, refs);
    }
    visit(schema.additionalProperties, `${path}/*`, depth + 1, refs);
    visit(schema.items, `${path}/*`, depth + 1, refs);
    if (Array.isArray(schema.prefixItems)) {
      schema.prefixItems.forEach((s, i) => visit(s, `${path}/${i}`, depth + 1, refs));
    }
  };
  visit(root, '', 0, []);
  return [...found].sort(); // in a stable order, whatever order a stored schema keeps its keys in
}

/** Whether a schema marks anything personal, anywhere below it (counted, so any schema ends). */
function marksAny(schema: unknown): boolean {
  const stack = [schema];
  for (let seen = 0; stack.length && seen < 10_000; seen++) {
    const s = stack.pop();
    if (Array.isArray(s)) stack.push(...s);
    else if (isSchema(s)) {
      if (s['x-sensitive'] === true) return true;
      stack.push(...Object.values(s));
    }
  }
  return stack.length > 0; // too large to tell: taken as personal
}

function resolve(root: Schema, ref: string): unknown {
  const m = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  if (!m) return undefined;
  const defs = root[m[1]!];
  return isSchema(defs) ? defs[unescape(m[2]!)] : undefined;
}

/**
 * A personal value shown in part, as receipts and bank statements do: a quarter of it (at most 4
 * characters) kept at each end, the rest starred (`6222020200113445` → `6222********3445`,
 * `13812345678` → `13*******78`). Short values, and values that are not text or numbers, are all
 * stars.
 */
export function maskValue(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '****';
  const chars = [...String(value)];
  const keep = Math.min(4, Math.floor(chars.length / 4));
  if (keep === 0) return '*'.repeat(Math.max(chars.length, 4));
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - 2 * keep) + chars.slice(-keep).join('');
}

/** A copy of the form with the fields at `paths` masked or left out; the form itself is not changed. */
export function withPersonalData(
  form: Record<string, unknown>,
  paths: readonly string[],
  handling: PersonalDataHandling,
): Record<string, unknown> {
  const copy = structuredClone(form);
  for (const path of paths) apply(copy, path.split('/').slice(1).map(unescape), handling);
  return copy;
}

function apply(node: unknown, segments: readonly string[], handling: PersonalDataHandling): void {
  if (segments.length === 0 || typeof node !== 'object' || node === null) return;
  const [head, ...rest] = segments as [string, ...string[]];
  const keys = head === '*' ? Object.keys(node) : Object.hasOwn(node, head) ? [head] : [];
  for (const key of keys) {
    const container = node as Record<string, unknown>;
    if (rest.length) {
      apply(container[key], rest, handling);
    } else if (handling === 'mask') {
      container[key] = maskValue(container[key]);
    } else if (Array.isArray(container)) {
      container[Number(key)] = null; // an array keeps its positions
    } else {
      delete container[key];
    }
  }
}
