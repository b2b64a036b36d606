import { z } from 'zod';
import type { RouteSpec } from './route.js';
import { problem } from './problem.js';

const problemSchema = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), detail: z.string().optional(), code: z.string(),
  instance: z.string().optional(), requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string(), in: z.string().optional() })).optional(),
}).loose();

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(spec: RouteSpec): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
    }
  }
  return out;
}

/** The OpenAPI 3.1 document, generated from the same route declarations that serve requests. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, resp] of Object.entries(r.responses)) {
      responses[status] = {
        description: resp.description,
        ...(resp.schema ? { content: { 'application/json': { schema: jsonSchema(resp.schema, 'output') } } } : {}),
      };
    }
    const problemResponse = (d: string) => ({ description: d, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    if (r.params || r.query || r.body) responses['400'] ??= problemResponse('invalid request; `errors` lists every offending field');
    if (r.auth) {
      responses['401'] ??= problemResponse('not signed in');
      responses['403'] ??= problemResponse('not allowed');
    }
    responses.default = problemResponse('error');
    (paths[r.path] ??= {})[r.method] = {
      operationId: r.operationId, summary: r.summary, tags: r.tags,
      ...(r.auth ? { security: [{ bearer: [] }] } : { security: [] }),
      parameters: parameters(r),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Service Hall API', version,
      description: 'The university Online Service Hall (网上办事大厅): service-item lifecycle, catalogue, authentication. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'session token from POST /api/v1/auth/login' } },
      schemas: { Problem: { ...jsonSchema(problemSchema, 'output'), example: problem(404, 'SERVICE_ITEM.NOT_FOUND', "service item '…' does not exist") } },
    },
    paths,
  };
}
