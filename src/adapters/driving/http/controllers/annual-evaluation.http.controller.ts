import { z } from 'zod';
import type { AnnualEvaluationUseCase } from '../../../../application/evaluations/annual-evaluation.use-case.js';
import type { Clock } from '../../../../application/ports/clock.port.js';
import { checkYear } from '../../../../domain/evaluation/annual-evaluation.js';
import { route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, inQuery, reply } from './reply.js';
import { AnnualEvaluation, EvaluationExport, EvaluationExportList } from '../schemas/annual-evaluation.schemas.js';

const TAGS = ['evaluation'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 年度效能评估 (Art. 18): figures, exports (filed, with the file as the body) and the filings. */
export function annualEvaluationRoutes(
  { annualEvaluation }: { annualEvaluation: AnnualEvaluationUseCase },
  { clock }: { clock: Clock },
): RouteSpec[] {
  // a year from 2000 to next year, checked with the other fields so that every problem is named at once
  const year = z.coerce
    .number()
    .int()
    .superRefine((y, ctx) => {
      const r = checkYear(y, clock.now());
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error.problems[0]!.message });
    })
    .describe('the civil year (China time), from 2000 to next year');
  const unit = z.string().min(1).max(100).describe('a unit key: that unit only');
  return [
    route({
      method: 'get',
      path: '/api/v1/evaluation-figures',
      operationId: 'getEvaluationFigures',
      summary:
        "年度效能评估: a year's figures for the university, each unit and each item, as of the end of the year or now (President's Office, IT Office, auditors)",
      tags: TAGS,
      auth: true,
      query: z.object({ year, unit: unit.optional() }).strict(),
      responses: {
        200: { description: 'the figures', schema: AnnualEvaluation },
        403: { description: "AUTH.FORBIDDEN: the President's Office, the IT Office and auditors only" },
      },
      handle: async ({ query, ctx }) =>
        reply(inQuery(await annualEvaluation.figures({ actor: actorOf(ctx), year: query.year, unitKey: query.unit }))),
    }),
    route({
      method: 'post',
      path: '/api/v1/evaluation-exports',
      operationId: 'exportEvaluation',
      summary:
        "Export a year's evaluation as XLSX or CSV and file it (备案): the body is the file, Repr-Digest its SHA-256, Location the filing (President's Office, IT Office)",
      tags: TAGS,
      auth: true,
      body: z
        .object({
          year,
          unit: unit.optional(),
          format: z.enum(['xlsx', 'csv']).default('xlsx'),
        })
        .strict(),
      responses: {
        201: {
          description: 'the file; the same year, scope and data give the same bytes',
          content: { [XLSX]: 'binary', 'text/csv': 'text' },
          headers: {
            'Content-Disposition': 'attachment, with the file name',
            'Repr-Digest': 'sha-256 of the file (RFC 9530)',
            Location: 'the filing, GET /api/v1/evaluation-exports/{id}',
          },
        },
        403: { description: "AUTH.FORBIDDEN: the President's Office and the IT Office only" },
      },
      handle: async ({ body, ctx }) => {
        const r = await annualEvaluation.export({
          actor: actorOf(ctx),
          year: body.year,
          unitKey: body.unit,
          format: body.format,
        });
        if (!r.ok) throw r.error;
        const x = r.value;
        return {
          status: 201,
          body: Buffer.from(x.bytes),
          headers: {
            'Content-Type': x.mediaType,
            'Content-Disposition': `attachment; filename="${x.fileName}"`,
            'Repr-Digest': `sha-256=:${Buffer.from(x.filing.sha256, 'hex').toString('base64')}:`,
            Location: `/api/v1/evaluation-exports/${x.filing.id}`,
            'Cache-Control': 'private, no-store',
            'X-Content-Type-Options': 'nosniff',
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/evaluation-exports',
      operationId: 'listEvaluationExports',
      summary: "The filings (备案) of evaluation exports, newest first (President's Office, IT Office, auditors)",
      tags: TAGS,
      auth: true,
      query: z
        .object({
          year: z.coerce.number().int().min(2000).max(9999).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        })
        .strict(),
      responses: {
        200: { description: 'the filings', schema: EvaluationExportList },
        403: { description: "AUTH.FORBIDDEN: the President's Office, the IT Office and auditors only" },
      },
      handle: async ({ query, ctx }) =>
        reply(await annualEvaluation.list({ actor: actorOf(ctx), year: query.year, limit: query.limit })),
    }),
    route({
      method: 'get',
      path: '/api/v1/evaluation-exports/{exportId}',
      operationId: 'getEvaluationExport',
      summary: "One filing (备案) of an evaluation export (President's Office, IT Office, auditors)",
      tags: TAGS,
      auth: true,
      params: z.object({ exportId: uuidParam }),
      responses: {
        200: { description: 'the filing', schema: EvaluationExport },
        403: { description: "AUTH.FORBIDDEN: the President's Office, the IT Office and auditors only" },
        404: { description: 'EVALUATION_EXPORT.NOT_FOUND: no such filing' },
      },
      handle: async ({ params, ctx }) =>
        reply(await annualEvaluation.get({ actor: actorOf(ctx), id: params.exportId })),
    }),
  ];
}
