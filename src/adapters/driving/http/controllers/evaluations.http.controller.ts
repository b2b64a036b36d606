import { z } from 'zod';
import type { EvaluateApplicationUseCase } from '../../../../application/evaluations/evaluate-application.use-case.js';
import type { FollowUpsUseCase } from '../../../../application/evaluations/follow-ups.use-case.js';
import type { RatingLevel } from '../../../../domain/evaluation/evaluation.entity.js';
import { route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { Evaluation, FollowUp, FollowUpList } from '../schemas/evaluation.schemas.js';

export function evaluationRoutes(uc: {
  evaluateApplication: EvaluateApplicationUseCase;
  followUps: FollowUpsUseCase;
}): RouteSpec[] {
  const { evaluateApplication: evaluate, followUps } = uc;
  return [
    route({
      method: 'put',
      path: '/api/v1/applications/{applicationId}/evaluation',
      operationId: 'evaluateApplication',
      summary: 'Rate a completed application (好差评: 5 非常满意 … 1 非常不满意); changeable once within the window',
      tags: ['evaluations'],
      auth: true,
      params: z.object({ applicationId: uuidParam }),
      body: z.object({ level: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }).strict(),
      responses: {
        200: { description: 'the rating, and the follow-up a bad rating opened', schema: Evaluation },
        403: { description: 'EVALUATION.NOT_APPLICANT: only the applicant rates' },
        404: { description: 'no such application' },
        409: { description: 'not completed, already changed, or the window closed' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await evaluate.execute({
            actor: actorOf(ctx),
            applicationId: params.applicationId,
            level: body.level as RatingLevel,
            comment: body.comment,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/api/v1/follow-ups',
      operationId: 'listFollowUps',
      summary: 'Follow-ups (整改) of bad ratings for my units, soonest due first',
      tags: ['evaluations'],
      auth: true,
      query: z
        .object({
          status: z.enum(['open', 'resolved', 'withdrawn']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        })
        .strict(),
      responses: { 200: { description: 'follow-ups', schema: FollowUpList } },
      handle: async ({ query, ctx }) => reply(await followUps.list({ actor: actorOf(ctx), ...query })),
    }),
    route({
      method: 'post',
      path: '/api/v1/follow-ups/{followUpId}/resolution',
      operationId: 'resolveFollowUp',
      summary: 'Resolve a follow-up with what was done',
      tags: ['evaluations'],
      auth: true,
      params: z.object({ followUpId: uuidParam }),
      body: z.object({ resolution: z.string().trim().min(1).max(2000) }).strict(),
      responses: {
        200: { description: 'resolved', schema: FollowUp },
        403: { description: "FOLLOW_UP.NOT_UNIT_ADMIN: the owning unit's service admin resolves it" },
        404: { description: 'FOLLOW_UP.NOT_FOUND' },
        409: { description: 'not open' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await followUps.resolve({ actor: actorOf(ctx), followUpId: params.followUpId, resolution: body.resolution }),
        ),
    }),
  ];
}
