import { expect } from 'chai';
import { z } from 'zod';
import { describeApi } from '../../../src/adapters/driving/http/api-document.js';
import { route } from '../../../src/adapters/driving/http/route.js';

type Json = Record<string, unknown>;
interface Response {
  description: string;
  content?: Record<string, { schema?: Json }>;
}
interface Operation {
  operationId: string;
  security: unknown[];
  parameters: unknown[];
  requestBody?: unknown;
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const PROBLEM_REF = '#/components/schemas/Problem';

/** What an operation lacks for a portal to rely on it: its success schema, or its problem responses. */
function lacks(op: Operation): string[] {
  const out: string[] = [];
  const statuses = Object.keys(op.responses);
  const success = statuses.filter((s) => /^[23]\d\d$/.test(s));
  if (!success.length) out.push('no success response');
  for (const s of success) {
    const r = op.responses[s]!;
    if (s === '204' || s.startsWith('3')) {
      if (r.content) out.push(`${s} declares a body`);
    } else if (!r.content || !Object.keys(r.content).length) out.push(`${s} has no content`);
    else
      for (const [type, c] of Object.entries(r.content))
        if (!c.schema || !Object.keys(c.schema).length) out.push(`${s} ${type} has no schema`);
  }
  const problems = statuses.filter((s) => /^[45]\d\d$/.test(s));
  if (!problems.includes('500')) out.push('no 500 problem');
  for (const s of problems) {
    const content = op.responses[s]!.content ?? {};
    const problem = content['application/problem+json']?.schema?.$ref === PROBLEM_REF;
    const ownJson = !!content['application/json']?.schema;
    if (!problem && !ownJson) out.push(`${s} is neither a Problem nor a described body`);
  }
  if (op.security.length && !problems.includes('401')) out.push('signed in, but no 401');
  if ((op.parameters.some((p) => (p as { in: string }).in !== 'header') || op.requestBody) && !problems.includes('400'))
    out.push('takes input, but no 400');
  if ('default' in op.responses) out.push('a default response hides undeclared statuses');
  return out;
}

function lacking(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) =>
      lacks(op).map((why) => `${op.operationId} (${method.toUpperCase()} ${path}): ${why}`),
    ),
  );
}

function danglingRefs(doc: Document): string[] {
  const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
  return [...new Set(refs)]
    .map((r) => r.slice('"#/components/schemas/'.length, -1))
    .filter((name) => !doc.components.schemas[name]);
}

describe('the OpenAPI document (no database)', () => {
  const doc = describeApi() as unknown as Document;
  const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));

  it('describes every route: more than sixty operations, each with a unique operationId', () => {
    expect(operations.length).to.be.greaterThan(60);
    const ids = operations.map((o) => o.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).to.deep.equal([]);
  });

  it('every operation declares its success response schema and its problem responses', () => {
    expect(lacking(doc), 'operations lacking a success schema or problem responses').to.deep.equal([]);
  });

  it('names an operation whose success schema or problem responses are missing', () => {
    const broken = structuredClone(doc);
    delete broken.paths['/api/v1/applications/{applicationId}']!.get!.responses['200']!.content;
    delete broken.paths['/api/v1/me/todo-count']!.get!.responses['401'];
    broken.paths['/api/v1/me/messages']!.get!.responses['500'] = { description: 'error' };
    expect(lacking(broken)).to.deep.equal([
      'getApplication (GET /api/v1/applications/{applicationId}): 200 has no content',
      'todoCount (GET /api/v1/me/todo-count): signed in, but no 401',
      'listMyMessages (GET /api/v1/me/messages): 500 is neither a Problem nor a described body',
    ]);
  });

  it('every reference names a schema under components, and the shared ones are components', () => {
    expect(danglingRefs(doc)).to.deep.equal([]);
    expect(Object.keys(doc.components.schemas)).to.include.members([
      'Problem',
      'ApplicationView',
      'ApplicationProgress',
      'TaskView',
      'HistoryPage',
      'ServiceItem',
      'ServiceVersion',
    ]);
    const progress =
      doc.paths['/api/v1/applications/{applicationId}']!.get!.responses['200']!.content!['application/json']!.schema;
    expect(progress).to.deep.equal({ $ref: '#/components/schemas/ApplicationProgress' });
  });

  it('every 429 says how long to wait (Retry-After); /metrics declares its 401', () => {
    const limited = Object.values(doc.paths)
      .flatMap((ops) => Object.values(ops))
      .map((op) => op.responses['429'] as (Response & { headers?: Json }) | undefined)
      .filter((r) => r !== undefined);
    expect(limited).to.not.deep.equal([]);
    for (const r of limited) expect(r.headers).to.have.property('Retry-After');
    expect(doc.paths['/metrics']!.get!.responses['401']!.content).to.have.property('application/problem+json');
  });

  it('files, printouts and metrics declare their content types; 204 and redirects have no body', () => {
    const content = (path: string, method: string, status: string) =>
      Object.keys(doc.paths[path]![method]!.responses[status]!.content ?? {});
    expect(content('/api/v1/attachments/{attachmentId}', 'get', '200')).to.deep.equal([
      'application/pdf',
      'image/jpeg',
      'image/png',
    ]);
    expect(content('/api/v1/applications/{applicationId}/printouts', 'post', '201')).to.deep.equal(['application/pdf']);
    expect(content('/metrics', 'get', '200')).to.deep.equal(['text/plain']);
    expect(content('/api/v1/auth/logout', 'post', '204')).to.deep.equal([]);
    expect(content('/api/v1/auth/cas/login', 'get', '302')).to.deep.equal([]);
  });

  it('a route without a described success response does not compile', () => {
    const declare = () =>
      route({
        method: 'get',
        path: '/x',
        operationId: 'x',
        summary: 'x',
        tags: [],
        auth: false,
        // @ts-expect-error a 200 must carry a schema or a declared content type
        responses: { 200: { description: 'something' }, 404: { description: 'none' } },
        handle: async () => ({ status: 200 }),
      });
    const onlyProblems = () =>
      route({
        method: 'get',
        path: '/x',
        operationId: 'x',
        summary: 'x',
        tags: [],
        auth: false,
        // @ts-expect-error there must be a success response at all
        responses: { 404: { description: 'none' } },
        handle: async () => ({ status: 404 }),
      });
    const described = route({
      method: 'get',
      path: '/x',
      operationId: 'x',
      summary: 'x',
      tags: [],
      auth: false,
      responses: { 200: { description: 'something', schema: z.object({ ok: z.boolean() }) } },
      handle: async () => ({ status: 200, body: { ok: true } }),
    });
    expect([typeof declare, typeof onlyProblems, described.operationId]).to.deep.equal(['function', 'function', 'x']);
  });
});
