import { z } from 'zod';
import type { ContentResponse, EmptyResponse, JsonResponse, ResponseHeaders, RouteSpec } from './route.js';
import { problem } from './problem.js';
import { components } from './schemas/component.js';
import './schemas/problem.schema.js';

type Json = Record<string, unknown>;
type Resp = JsonResponse | ContentResponse | EmptyResponse | undefined;

const COMPONENT_REF = '#/components/schemas/';
const PROBLEM = 'application/problem+json';

/** A format says it all: zod's equivalent regular expressions would only bloat the document. */
const FORMATS_ONLY = new Set(['date-time', 'date', 'uuid']);
const override = ({ jsonSchema: js }: { jsonSchema: Json }) => {
  if (FORMATS_ONLY.has(js.format as string)) delete js.pattern;
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', override }) as Json;
  return rest;
}

function parameters(spec: RouteSpec): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input') as { properties?: Json; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
    }
  }
  if (spec.idempotent) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
      description:
        'repeat the request safely: the same key answers the first outcome again (with Idempotent-Replayed: true)',
    });
  }
  return out;
}

/**
 * The problems a route can answer because of its shape, whatever it does: invalid input, a body
 * too large or in an unsupported encoding, no session, an Idempotency-Key in use or reused, the
 * database busy or unreachable, and an unexpected fault.
 */
function derivedProblems(r: RouteSpec): Array<[number, string]> {
  const when = (applies: unknown, status: number, description: string): Array<[number, string]> =>
    applies ? [[status, description]] : [];
  return [
    ...when(
      r.params || r.query || r.body || r.rawBodyLimit,
      400,
      'HTTP.INVALID_REQUEST: the request is invalid, `errors` lists every offending field (or HTTP.MALFORMED_JSON)',
    ),
    ...when(r.auth, 401, 'not signed in, or the session ended (AUTH.*)'),
    ...when(r.idempotent, 409, 'IDEMPOTENCY.IN_PROGRESS: a request with this Idempotency-Key is still being processed'),
    ...when(r.body || r.rawBodyLimit, 413, 'HTTP.BODY_TOO_LARGE: the body is too large'),
    ...when(r.body, 415, 'HTTP.UNSUPPORTED_ENCODING: the body is in a charset or encoding the hall does not read'),
    ...when(r.idempotent, 422, 'IDEMPOTENCY.KEY_REUSED: this Idempotency-Key was used for a different request'),
    [500, 'INTERNAL: an unexpected error; quote the request id when reporting it'],
    ...when(
      r.database !== false,
      503,
      'DATABASE.BUSY (every connection stayed busy; try again after Retry-After) or DATABASE.UNAVAILABLE',
    ),
  ];
}

function headerObjects(headers: ResponseHeaders | undefined): Json {
  return headers
    ? {
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
        ),
      }
    : {};
}

/**
 * Every response schema becomes JSON Schema in one pass over a registry, so a named component
 * (schemas/*.ts) is written once under components/schemas and referred to everywhere else; a
 * response's own unnamed schema is written inline.
 */
function convertSchemas(routes: readonly RouteSpec[]): { named: Json; refOf(schema: z.ZodType): Json } {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of components()) registry.add(schema, { id });
  const inline = new Map<z.ZodType, string>();
  for (const r of routes) {
    for (const [status, resp] of Object.entries(r.responses) as Array<[string, Resp]>) {
      const schema = resp && 'schema' in resp ? resp.schema : undefined;
      if (!schema || registry.has(schema) || inline.has(schema)) continue;
      const id = `${r.operationId[0]!.toUpperCase()}${r.operationId.slice(1)}${status}`;
      inline.set(schema, id);
      registry.add(schema, { id });
    }
  }
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    override,
    uri: (id) => `${COMPONENT_REF}${id}`,
  }) as { schemas: Record<string, Json> };
  const clean = Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]),
  );
  const referencedElsewhere = (id: string) =>
    Object.entries(clean).some(([other, s]) => other !== id && JSON.stringify(s).includes(`"${COMPONENT_REF}${id}"`));
  const inlined = new Set([...inline.values()].filter((id) => !referencedElsewhere(id)));
  return {
    named: Object.fromEntries(
      Object.entries(clean)
        .filter(([id]) => !inlined.has(id))
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    refOf(schema) {
      const id = inline.get(schema) ?? registry.get(schema)!.id;
      return inlined.has(id) ? clean[id]! : { $ref: `${COMPONENT_REF}${id}` };
    },
  };
}

/** The OpenAPI 3.1 document, generated from the same route declarations that serve requests. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string): Json {
  const { named, refOf } = convertSchemas(routes);
  const problemContent = { [PROBLEM]: { schema: { $ref: `${COMPONENT_REF}Problem` } } };
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const responses: Record<string, Json> = {};
    for (const [status, resp] of Object.entries(r.responses) as Array<[string, Resp]>) {
      if (!resp) continue;
      const headers = 'headers' in resp ? headerObjects(resp.headers) : {};
      if ('schema' in resp && resp.schema)
        responses[status] = {
          description: resp.description,
          ...headers,
          content: { 'application/json': { schema: refOf(resp.schema) } },
        };
      else if ('content' in resp) {
        responses[status] = {
          description: resp.description,
          ...headers,
          content: Object.fromEntries(
            Object.entries(resp.content).map(([type, kind]) => [
              type,
              { schema: kind === 'binary' ? { type: 'string', format: 'binary' } : { type: 'string' } },
            ]),
          ),
        };
      } else if (Number(status) >= 400)
        responses[status] = {
          description: resp.description,
          // every 429 says how long to wait (problem.ts)
          ...(status === '429' ? headerObjects({ 'Retry-After': 'seconds to wait before trying again' }) : {}),
          content: problemContent,
        };
      else responses[status] = { description: resp.description, ...headers };
    }
    for (const [status, description] of derivedProblems(r)) {
      const declared = responses[status];
      if (!declared) responses[status] = { description, content: problemContent };
      else if ((status === 400 || status === 409) && (declared.content as Json | undefined)?.[PROBLEM])
        declared.description = `${declared.description as string}; or ${description}`;
    }
    const ordered = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
    (paths[r.path] ??= {})[r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: r.tags,
      ...(r.auth ? { security: [{ bearer: [] }] } : { security: [] }),
      parameters: parameters(r),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } }
        : {}),
      ...(r.rawBodyLimit
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                (r.rawBodyTypes ?? ['application/octet-stream']).map((t) => [
                  t,
                  { schema: { type: 'string', format: 'binary' } },
                ]),
              ),
            },
          }
        : {}),
      responses: ordered,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Service Hall API',
      version,
      description:
        'The university Online Service Hall (网上办事大厅): service-item lifecycle, catalogue, authentication. Errors are RFC 9457 problem documents (application/problem+json, the Problem schema).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'session token from POST /api/v1/auth/login' },
      },
      schemas: {
        ...named,
        Problem: {
          ...(named.Problem as Json),
          example: problem(404, 'SERVICE_ITEM.NOT_FOUND', "service item '…' does not exist"),
        },
      },
    },
    paths,
  };
}
