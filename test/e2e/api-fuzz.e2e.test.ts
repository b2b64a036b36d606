import { createHash } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { seedDemoServiceItems } from '../../src/adapters/composition/demo.js';
import { describeApi } from '../../src/adapters/driving/http/api-document.js';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { JPEG_16X16, PNG_1X1, onePagePdf } from '../fixtures/attachment-files.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { act, apply, goodForm, reimbursement, taskOf, type AppBody } from './application-helpers.js';
import { ACTOR_KINDS, ACTORS, AUTHORIZATION_MATRIX, OK, type OperationId } from './authorization-matrix.js';
import { as, definition, definitionBpmn, launchableItem, onlineItem } from './lifecycle-helpers.js';

/**
 * An OpenAPI-driven fuzzer (issue 12): for every operation of `describeApi()`, requests generated
 * from its parameter and body schemas with fast-check and a fixed seed, mostly well-formed (path ids
 * from the demo data, so they reach the use cases and their writes), some hostile (wrong types,
 * empty, huge numbers, long strings, emoji, RTL, NUL, lone surrogates, unknown and missing keys,
 * deep nesting, arrays for objects), sent as several actors. No answer may be a 5xx, and every 4xx is
 * application/problem+json (every response is also checked against the document by the test app).
 *
 * 88 operations × 36 requests = 3,168 requests (a third of them hostile), seed 20261130; each
 * operation samples with its own seed (SEED and a hash of its id), which a failure names with the request.
 */
const SEED = 20261130;
const PER_OPERATION = 60;
/**
 * The operations that may see no 2xx at all, each for a reason random requests cannot meet; any
 * other operation must succeed at least once, so well-formed requests are seen to reach the use cases.
 */
const MAY_NEVER_SUCCEED = new Set([
  // /metrics wants its own token; single sign-on is not configured in the test app
  'metrics',
  'casLogin',
  'casCallback',
  'oidcLogin',
  'oidcCallback',
  'casSingleLogout',
  // a state of an item or version the random requests rarely line up
  'approveServiceItem',
  'rejectServiceItem',
  'reapplyOnboarding',
  'confirmVersion',
  'launchVersion',
  'requestChange',
  'submitApplication',
  'evaluateApplication',
  'fileRole',
  'revokeRole',
  'listSignIns',
  'listConcurrentSignIns',
  'proveAuditConsistency',
  // a task still held (or approved) by whoever acts, once the operations before have used them up
  'takeBackTask',
  'removeSignerTask',
  'resolveTask',
  'returnTask',
  'approveTask',
  'rejectTask',
  'reassignTask',
  // an admin's action on an application still in progress, with a step key or a second online version
  'adminCancelApplication',
  'jumpApplication',
  'moveApplicationsToVersion',
]);
/**
 * Operations that use up the demo data the others need (tasks acted on, applications ended, people
 * offboarded) run last, in this order; the rest in the document's order.
 */
const LAST = [
  'unclaimTask',
  'claimTask',
  'copyTask',
  'takeBackTask',
  'addSignerTask',
  'removeSignerTask',
  'delegateTask',
  'resolveTask',
  'transferTask',
  'returnTask',
  'approveTask',
  'rejectTask',
  'batchTaskAction',
  'withdrawApplication',
  'cancelApplication',
  'changePost',
  'offboardPerson',
  // last of all, so every operation above finds the state it found before these existed
  'searchItemApplications',
  'reassignTask',
  'adminCancelApplication',
  'jumpApplication',
  'moveApplicationsToVersion',
  'exportBpmn',
  'importBpmn',
];

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
interface FuzzRequest {
  actor: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  raw?: { type: string; content: Uint8Array };
}

const document = describeApi() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const resolve = (s: Schema): Schema =>
  s.$ref ? resolve(document.components.schemas[s.$ref.replace('#/components/schemas/', '')]!) : s;

// ---- hostile values
const NUL = '\u0000';
const LONE = ['\ud800', '\udfff', 'a\udc00b'];
const nested = (levels: number): unknown => {
  let v: unknown = 'deep';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { d: v };
  return v;
};
const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    NUL,
    `x${NUL}y`,
    ...LONE,
    '😀👨‍👩‍👧‍👦🏳️‍🌈',
    '\u202eRTL\u202c עברית العربية',
    '\u200b\u200d\ufeff',
    'e\u0301\u0301\u0301',
    '../../etc/passwd',
    "'; DROP TABLE applications; --",
    '%00%ff%',
    '${7*7}{{7*7}}',
    '<script>alert(1)</script>',
    '*',
    'null',
    '-1',
    '1e309',
    'NaN',
  ),
  fc.constantFrom('x'.repeat(5_000), '字'.repeat(70_000), '😀'.repeat(3_000)),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(
    0,
    -1,
    -0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    Number.MAX_SAFE_INTEGER,
    0.1,
    true,
    false,
    null,
    [],
    {},
    [[[]]],
    JSON.parse('{"__proto__":{"admin":true}}') as unknown,
    { constructor: { prototype: { x: 1 } } },
  ),
  fc.constant(nested(70)),
  fc.constant(nested(30)),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Values a path id or a named field takes from the demo data, by name; filled in before generating. */
const pools: Record<string, Array<string | number>> = {};
const POOLED: Record<string, string> = {
  itemId: 'itemId',
  versionId: 'versionId',
  applicationId: 'applicationId',
  taskId: 'taskId',
  signerTaskId: 'taskId',
  taskIds: 'taskId',
  attachmentId: 'attachmentId',
  followUpId: 'followUpId',
  messageId: 'messageId',
  requestId: 'requestId',
  filingId: 'filingId',
  code: 'code',
  personId: 'personId',
  subject: 'personId',
  applicant: 'personId',
  person: 'personId',
  to: 'personId',
  substitute: 'personId',
  successor: 'personId',
  people: 'personId',
  unit: 'unit',
  owningUnit: 'unit',
  involvedUnits: 'unit',
  role: 'role',
  target: 'target',
  username: 'username',
  password: 'password',
  name: 'fileName',
  entityId: 'applicationId',
  exportId: 'exportId',
  year: 'year',
};

/** A well-formed value of a schema (within its bounds), ids from the pools where the name says so. */
function good(schema: Schema, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  // a cursor is one the API issued: a made-up one only in hostile requests
  if (name === 'cursor') return fc.constant(undefined);
  if (name === 'Idempotency-Key') return fc.uuid();
  const pool =
    name && POOLED[name] && !s.pattern && (!s.format || s.format === 'uuid') ? pools[POOLED[name]] : undefined;
  if (pool?.length && (s.type === 'string' || s.type === 'integer' || s.type === undefined || s.type === 'array')) {
    const one = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.uuid() });
    return s.type === 'array' ? fc.array(one, { minLength: s.minItems ?? 0, maxLength: 3 }) : one;
  }
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => good(a, name, depth)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'uuid') return fc.uuid();
      if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$')
        return fc.oneof(
          {
            weight: 5,
            arbitrary: fc
              .date({ min: new Date('2026-01-01'), max: new Date('2031-12-31'), noInvalidDate: true })
              .map((d) => d.toISOString().slice(0, 10)),
          },
          { weight: 1, arbitrary: fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
        );
      if (s.format === 'date')
        return fc
          .date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (s.format === 'date-time')
        return fc
          .date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (s.format === 'email') return fc.emailAddress();
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 1e9));
      const min = s.minLength ?? 0;
      const max = Math.max(min, Math.min(s.maxLength ?? 40, 40));
      return fc.oneof(
        fc.string({ minLength: Math.max(min, 1), maxLength: max, unit: 'grapheme' }).filter((x) => x.trim().length > 0),
        fc.constantFrom('学术会议', '合同用印', 'reimbursement for a conference').filter((x) => x.length <= max),
      );
    }
    case 'integer':
      return fc.integer({ min: Math.ceil(s.minimum ?? 0), max: Math.floor(s.maximum ?? 1000) });
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 0.01 : 0);
      return fc.double({ min, max: s.maximum ?? 100_000, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(s.items ? good(s.items, name, depth + 1) : fc.string(), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 3, 3),
      });
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const fields = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, good(v, k, depth + 1)]));
      if (!Object.keys(props).length && s.additionalProperties !== false)
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }),
          fc.oneof(fc.string(), fc.integer(), fc.boolean()),
          {
            maxKeys: 4,
          },
        );
      return fc.record(fields, { requiredKeys: [...required].filter((k) => k in fields) });
    }
    default:
      return fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

/** A value of a schema, now and then hostile in a leaf, a key or as a whole. */
function mixed(schema: Schema, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' && s.properties && depth < 6) {
    const required = new Set(s.required ?? []);
    const fields = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, mixed(v, k, depth + 1)]));
    const record = fc.record(fields, { requiredKeys: [...required].filter((k) => k in fields) });
    return fc.oneof(
      { weight: 6, arbitrary: record },
      { weight: 1, arbitrary: fc.tuple(record, hostileString, hostileValue).map(([r, k, v]) => ({ ...r, [k]: v })) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(record, fc.constantFrom(...(required.size ? [...required] : ['none'])))
          .map(([r, k]) => Object.fromEntries(Object.entries(r as object).filter(([key]) => key !== k))),
      },
      { weight: 1, arbitrary: record.map((r) => [r]) },
      { weight: 1, arbitrary: hostileValue },
    );
  }
  if (type === 'array' && s.items && depth < 6)
    return fc.oneof(
      { weight: 4, arbitrary: fc.array(mixed(s.items, name, depth + 1), { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(fc.constant('x'), { minLength: 51, maxLength: 60 }) },
      { weight: 1, arbitrary: hostileValue },
    );
  return fc.oneof({ weight: 3, arbitrary: good(s, name, depth) }, { weight: 1, arbitrary: hostileValue });
}

/** Takes a well-formed JSON value and puts something hostile at one place in it. */
const spoilt = (value: unknown) =>
  fc.tuple(fc.nat(), hostileValue).map(([at, bad]) => {
    const copy = JSON.parse(JSON.stringify(value)) as unknown;
    const places: Array<[Record<string, unknown> | unknown[], string | number]> = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach((x, i) => (places.push([v, i]), walk(x)));
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) (places.push([v as Record<string, unknown>, k]), walk(x));
    };
    walk(copy);
    if (!places.length) return bad;
    const [holder, key] = places[at % places.length]!;
    (holder as Record<string | number, unknown>)[key] = bad;
    return copy;
  });

/** A path segment or query value as it goes on the wire (lone surrogates as their raw UTF-8-like bytes). */
function encode(v: unknown): string {
  // at most 500 UTF-16 units each: a URL longer than Node's header limit (16 KB) is refused by Node's
  // HTTP parser (431) before the app sees it; long strings go in bodies
  const s = (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).slice(0, 500);
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((ch) => {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
          return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('');
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

describe('an OpenAPI-driven fuzzer: every operation, well-formed and hostile requests, as several actors (e2e)', function () {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const spareSessions: string[] = [];
  let definitions: unknown[] = [];
  let forms: unknown[] = [];
  let pdf: Buffer;
  /** Applications that fit: an online item and a form of its schema. */
  let fitting: Array<{ itemId: string; form: unknown }> = [];

  before(async function () {
    this.timeout(120_000);
    t = await createTestApp();
    await seedDemoServiceItems(t.container, pino({ level: 'silent' }));
    const finance = await onlineItem(t, 'CW-FUZZ', reimbursement('all'));
    const draft = await launchableItem(t, 'CW-FZDR', definition());
    const pending = await as(t, 'cw-admin').post('/api/v1/service-items', {
      code: 'CW-FZPD',
      name: '待审事项',
      owningUnit: 'finance',
      involvedUnits: [],
      description: '待审',
      offlineProcedure: '线下办理',
    });
    const catalogue = await as(t, 'student-xx').get('/api/v1/catalogue');
    const items = catalogue.body.items as Array<{ id: string }>;
    const versions: string[] = [finance.versionId, draft.versionId];
    for (const i of items) {
      const v = await as(t, 'auditor').get(`/api/v1/service-items/${i.id}`);
      versions.push(...(v.body.versions as Array<{ id: string }>).map((x) => x.id));
    }
    // applications at every stage: pooled, held, delegated, with an added signer, a draft, completed, rated
    const pooled = await apply(t, finance.itemId);
    const held = await apply(t, finance.itemId);
    await act(t, 'cw-handler', held.currentTasks[0]!.id, 'claim');
    // more of them to act on, held by cw-handler
    const more: AppBody[] = [];
    for (let i = 0; i < 10; i++) {
      const a = await apply(t, finance.itemId);
      more.push((await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim')).body as AppBody);
    }
    const rejected = await as(t, 'cw-admin').post('/api/v1/service-items', {
      code: 'CW-FZRJ',
      name: '被驳回事项',
      owningUnit: 'finance',
      involvedUnits: [],
      description: '被驳回',
      offlineProcedure: '线下办理',
    });
    await as(t, 'xb-officer').post(`/api/v1/service-items/${rejected.body.id}/rejections`, { reason: '材料不全' });
    const draftApp = (
      await as(t, 'student-xx').post('/api/v1/applications', { itemId: finance.itemId, form: goodForm, submit: false })
    ).body as AppBody;
    let done = await apply(t, finance.itemId, 'student-hk');
    await act(t, 'cw-handler', done.currentTasks[0]!.id, 'claim');
    done = (await act(t, 'cw-handler', done.currentTasks[0]!.id, 'approve')).body as AppBody;
    done = (await act(t, 'jw-admin', taskOf(done, 'T0101'), 'approve')).body as AppBody;
    done = (await act(t, 'jw-handler', taskOf(done, 'T0102'), 'approve')).body as AppBody;
    done = (await act(t, 'cw-handler', done.currentTasks[0]!.id, 'approve')).body as AppBody;
    if (done.state !== 'completed') throw new Error(`fixture: ${done.state}`);
    const rated = await as(t, 'student-hk').put(`/api/v1/applications/${done.id}/evaluation`, { level: 1 });
    const printout = await as(t, 'student-hk').post(`/api/v1/applications/${done.id}/printouts`);
    const upload = await request(t.app)
      .post(`/api/v1/applications/${held.id}/attachments?name=invoice.pdf`)
      .set('Authorization', `Bearer ${await t.login('student-xx')}`)
      .set('Content-Type', 'application/pdf')
      .send(await onePagePdf());
    await as(t, 'student-xx').post(`/api/v1/applications/${held.id}/urge`);
    const messages = await as(t, 'cw-handler').get('/api/v1/me/messages');
    const progress = await as(t, 'auditor').get(`/api/v1/applications/${held.id}`);
    const filed = await as(t, 'xb-officer').post('/api/v1/evaluation-exports', { year: 2026, format: 'csv' });
    // change requests: one refused, one waiting for the IT Office
    const changing = await onlineItem(t, 'CW-FZCR', reimbursement('all'));
    const fileChange = async () => {
      const r = await as(t, 'cw-admin').post(`/api/v1/service-items/${changing.itemId}/change-requests`, {
        reason: '调整',
        needs: [{ aspect: 'form', description: '增加字段' }],
      });
      if (r.status !== 201) throw new Error(`fixture: change request: ${JSON.stringify(r.body)}`);
      return r;
    };
    const refusedChange = await fileChange();
    await as(t, 'it-officer').post(`/api/v1/change-requests/${refusedChange.body.id}/decision`, {
      decision: 'refuse',
      reason: '暂不调整',
    });
    const pendingChange = await fileChange();
    // filings: one pending, one refused
    const fileRole = async (subject: string) => {
      const r = await as(t, 'cw-admin').post('/api/v1/role-filings', {
        subject,
        role: 'handler',
        unit: 'finance',
        reason: '新进',
      });
      if (r.status !== 201) throw new Error(`fixture: filing ${subject}: ${JSON.stringify(r.body)}`);
      return r;
    };
    const refusedFiling = await fileRole('T0402');
    await as(t, 'it-officer').post(`/api/v1/role-filings/${refusedFiling.body.id}/decision`, {
      decision: 'refuse',
      reason: '暂不设岗',
    });
    const pendingFiling = await fileRole('T0403');

    Object.assign(pools, {
      itemId: [
        finance.itemId,
        draft.itemId,
        pending.body.id as string,
        rejected.body.id as string,
        changing.itemId,
        ...items.map((i) => i.id),
      ],
      versionId: versions,
      applicationId: [pooled.id, held.id, draftApp.id, done.id, ...more.map((a) => a.id)],
      taskId: [pooled, held, done, progress.body as AppBody, ...more].flatMap((a) => a.currentTasks.map((x) => x.id)),
      attachmentId: [upload.body.id as string],
      followUpId: [rated.body.followUp.id as string],
      messageId: (messages.body.items as Array<{ id: string }>).map((m) => m.id),
      code: [printout.headers['x-verification-code'] as string, 'ABCD-EFGH-JKLM'],
      // people the fuzzer may hand work to, offboard or grant roles to: none of the actors themselves
      personId: ['T0402', 'T0403', 'T0501', 'T0502', 'T0503', 'T0010', 'T0011', 'T0012', 'T0102', 'nobody'],
      password: [DEMO_PASSWORD, 'wrong-password'],
      unit: ['finance', 'academic-affairs', 'logistics', 'college-info', '*', 'no-such-unit'],
      role: ['handler', 'unit-service-admin', 'counselor', 'auditor'],
      target: ['applicant', 'check', 'apply', 'sign', 'nowhere'],
      username: ['student-hk', 'hk-admin', 'no-such-user'],
      fileName: ['scan.png', 'photo.jpg', '发票.pdf'],
      // the annual evaluation: years it takes (and one it refuses), a filing
      year: [2025, 2026, 2027, 1999],
      exportId: [(filed.headers.location as string).split('/').pop()!],
      requestId: [refusedChange.body.id as string, pendingChange.body.id as string],
      filingId: [refusedFiling.body.id as string, pendingFiling.body.id as string],
    });
    definitions = [definition(), reimbursement('any'), reimbursement('ratio')];
    const catalogueFile = JSON.parse(
      readFileSync(path.join(import.meta.dirname, '../../seeds/demo-catalogue.json'), 'utf8'),
    ) as { service_items: Array<{ code: string; form: Schema }> };
    const byCode = Object.fromEntries(
      (catalogue.body.items as Array<{ code: string; id: string }>).map((i) => [i.code, i.id]),
    );
    fitting = [
      { itemId: finance.itemId, form: goodForm },
      ...catalogueFile.service_items.flatMap((i, n) =>
        fc.sample(good(i.form), { seed: SEED + n, numRuns: 4 }).map((form) => ({ itemId: byCode[i.code]!, form })),
      ),
    ];
    forms = fitting.map((f) => f.form);
    pdf = await onePagePdf();

    for (const who of Object.values(ACTORS)) if (who) tokens[who] = await t.login(who);
    for (let i = 0; i < 40; i++) {
      const r = await request(t.app)
        .post('/api/v1/auth/login')
        .send({ username: 'student-hk', password: DEMO_PASSWORD });
      spareSessions.push(r.body.token as string);
    }
  });
  after(async () => {
    await t.close();
  });

  /** Mostly someone the authorization matrix lets do it (so requests reach the use case), else anyone. */
  const actorFor = (operationId: string) => {
    const row = AUTHORIZATION_MATRIX[operationId as OperationId];
    const allowed = ACTOR_KINDS.filter((k) => row?.[k] === OK).map((k) => ACTORS[k] ?? 'anonymous');
    const anyone = fc.constantFrom(...ACTOR_KINDS.map((k) => ACTORS[k] ?? 'anonymous'));
    return allowed.length
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...allowed) }, { weight: 2, arbitrary: anyone })
      : anyone;
  };

  /** The requests of one operation: its parameters and body from their schemas. */
  function requests(pathTemplate: string, method: string, op: Operation): fc.Arbitrary<FuzzRequest> {
    const params = op.parameters ?? [];
    const arb = (p: Parameter, hostile: boolean) => (hostile ? mixed(p.schema, p.name) : good(p.schema, p.name));
    const content = op.requestBody?.content ?? {};
    const jsonSchema = content['application/json']?.schema;
    const rawTypes = Object.keys(content).filter((c) => c !== 'application/json');

    const bodyArb = (hostile: boolean): fc.Arbitrary<unknown> => {
      if (!jsonSchema) return fc.constant(undefined);
      const s = resolve(jsonSchema);
      if (op.operationId === 'defineProcess')
        return fc.oneof(
          fc.constantFrom(...definitions),
          fc.constantFrom(...definitions).chain(spoilt),
          hostile ? hostileValue : fc.constantFrom(...definitions),
        );
      if (op.operationId === 'importBpmn') {
        const camunda = readFileSync(new URL('../fixtures/bpmn/camunda-reimbursement.bpmn', import.meta.url), 'utf8');
        const files = [
          { bpmn: definitionBpmn() },
          { bpmn: camunda, form: reimbursement().form, defaultTimeLimit: { workingDays: 3 } },
        ];
        const hostileFiles = [
          { bpmn: '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>' },
          { bpmn: camunda.slice(0, 2000) },
          { bpmn: camunda.replace('<bpmn:endEvent', '<bpmn:boundaryEvent id="B" /><bpmn:endEvent') },
        ];
        return fc.oneof(
          fc.constantFrom(...files),
          fc.constantFrom(...files).chain(spoilt),
          hostile ? fc.oneof(hostileValue, fc.constantFrom(...hostileFiles)) : fc.constantFrom(...files),
        );
      }
      if (
        op.operationId === 'startApplication' ||
        op.operationId === 'submitApplication' ||
        op.operationId === 'approveTask'
      ) {
        const formArb = fc.oneof(fc.constantFrom(...forms), fc.constantFrom(...forms).chain(spoilt));
        if (op.operationId === 'startApplication' && !hostile)
          return fc
            .tuple(fc.constantFrom(...fitting), fc.boolean())
            .map(([f, submit]) => ({ itemId: f.itemId, form: f.form, submit }));
        return (hostile ? mixed(s) : good(s)).chain((b) =>
          b && typeof b === 'object' && !Array.isArray(b) && 'form' in b
            ? formArb.map((form) => ({ ...b, form }))
            : fc.constant(b),
        );
      }
      return hostile ? mixed(s) : good(s);
    };
    const files = fc.constantFrom(
      { type: 'image/png', content: PNG_1X1 },
      { type: 'image/jpeg', content: JPEG_16X16 },
      { type: 'application/pdf', content: pdf },
    );
    const rawArb = (hostile: boolean) =>
      !rawTypes.length
        ? fc.constant(undefined)
        : !hostile
          ? files
          : fc.record({
              type: fc.oneof(
                fc.constantFrom(...rawTypes),
                fc.constantFrom('application/octet-stream', 'text/plain', ''),
              ),
              content: fc.oneof(
                fc.constantFrom(PNG_1X1, JPEG_16X16, Buffer.alloc(0), Buffer.from('%PDF-1.7\n%%EOF')),
                fc.uint8Array({ maxLength: 2_000 }),
              ),
            });

    return fc
      .integer({ min: 0, max: 2 })
      .map((n) => n === 0)
      .chain((hostile) =>
        fc.record({
          hostile: fc.constant(hostile),
          actor: actorFor(op.operationId),
          values: fc.tuple(
            ...params.map((p) =>
              p.required || p.in === 'path' ? arb(p, hostile) : fc.option(arb(p, hostile), { nil: undefined }),
            ),
          ),
          body: bodyArb(hostile),
          raw: rawArb(hostile),
        }),
      )
      .map(({ actor, values, body, raw }) => {
        let url = pathTemplate;
        const query: string[] = [];
        const headers: Record<string, string> = {};
        params.forEach((p, i) => {
          const v = values[i];
          if (v === undefined) return;
          if (p.in === 'path') url = url.replace(`{${p.name}}`, encode(v));
          else if (p.in === 'query') query.push(`${encodeURIComponent(p.name)}=${encode(v)}`);
          else
            headers[p.name] = String(typeof v === 'string' ? v : JSON.stringify(v))
              .slice(0, 1000)
              .replace(/[^\x20-\x7e]/g, '?');
        });
        return {
          actor,
          method,
          url: query.length ? `${url}?${query.join('&')}` : url,
          headers,
          ...(raw ? { raw } : jsonSchema && body !== undefined ? { body } : {}),
        };
      });
  }

  /** Each operation's own seed, from its id: adding or moving an operation leaves the others' samples as they were. */
  const seedOf = (operationId: string) =>
    SEED + (createHash('sha256').update(operationId).digest().readUInt32BE(0) % 100_000);
  const operations = Object.entries(document.paths)
    .flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ path: p, method, op })))
    .sort((a, b) => LAST.indexOf(a.op.operationId) - LAST.indexOf(b.op.operationId));

  it(`answers ${PER_OPERATION} generated requests for each operation (seed ${SEED}) with no 5xx, and every 4xx as problem+json`, async function () {
    this.timeout(600_000);
    const failures: string[] = [];
    let sent = 0;
    const succeeded = new Set<string>();
    for (const { path: p, method, op } of operations) {
      const seed = seedOf(op.operationId);
      const samples = fc.sample(requests(p, method, op), { seed, numRuns: PER_OPERATION });
      for (const [n, r] of samples.entries()) {
        let req = request(t.app)[method as 'get'](r.url);
        const token = op.operationId === 'logout' && r.actor !== 'anonymous' ? spareSessions.pop() : tokens[r.actor];
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        for (const [h, v] of Object.entries(r.headers)) req = req.set(h, v);
        if (r.raw) req = (r.raw.type ? req.set('Content-Type', r.raw.type) : req).send(Buffer.from(r.raw.content));
        else if (r.body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(r.body));
        const shown = () => {
          const body = r.raw ? `<${r.raw.content.length} bytes of ${r.raw.type}>` : JSON.stringify(r.body);
          return `${op.operationId} (seed ${seed}, sample ${n}) as ${r.actor}: ${method.toUpperCase()} ${r.url.slice(0, 300)} ${JSON.stringify(r.headers)} body ${(body ?? '').slice(0, 1000)}`;
        };
        let res: request.Response;
        try {
          res = await req;
        } catch (e) {
          failures.push(`${shown()}\n  -> ${(e as Error).message.slice(0, 2000)}`);
          continue;
        }
        sent++;
        if (res.status < 300) succeeded.add(op.operationId);
        const type = String(res.headers['content-type'] ?? '');
        if (res.status >= 500)
          failures.push(`${shown()}\n  -> ${res.status} ${JSON.stringify(res.body).slice(0, 2000)}`);
        else if (res.status >= 400 && !type.startsWith('application/problem+json'))
          failures.push(`${shown()}\n  -> ${res.status} as ${type}: ${String(res.text).slice(0, 500)}`);
      }
    }
    if (failures.length)
      expect.fail(`${failures.length} of ${sent} requests failed (seed ${SEED}):\n${failures.join('\n')}`);
    expect(sent).to.equal(operations.length * PER_OPERATION);
    // the well-formed requests reach the use cases: most operations did what they do at least once
    const never = operations.map((o) => o.op.operationId).filter((id) => !succeeded.has(id));
    expect(
      never.filter((id) => !MAY_NEVER_SUCCEED.has(id)),
      `operations no request succeeded at (${never.join(', ')})`,
    ).to.deep.equal([]);
  });
});
