import { z } from 'zod';
import type { SupervisionUseCase } from '../../../../application/supervision/supervision.use-case.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { SupervisionOverview, UnitSupervision } from '../schemas/supervision.schemas.js';

export function supervisionRoutes({ supervision }: { supervision: SupervisionUseCase }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/supervision/units',
      operationId: 'superviseAllUnits',
      summary:
        "督办: open and overdue tasks and follow-ups of every unit, most overdue first (President's Office, IT Office)",
      tags: ['supervision'],
      auth: true,
      responses: {
        200: { description: 'one summary per unit', schema: SupervisionOverview },
        403: { description: "SUPERVISION.FORBIDDEN: the President's Office and the IT Office only" },
      },
      handle: async ({ ctx }) => reply(await supervision.all({ actor: actorOf(ctx) })),
    }),
    route({
      method: 'get',
      path: '/api/v1/supervision/units/{unit}',
      operationId: 'superviseUnit',
      summary:
        "督办: a unit's open and overdue tasks by handler, and its follow-ups (the unit's service admins, the offices)",
      tags: ['supervision'],
      auth: true,
      params: z.object({ unit: z.string().min(1).max(100) }),
      responses: {
        200: { description: "the unit's figures", schema: UnitSupervision },
        403: { description: "SUPERVISION.FORBIDDEN: the unit's service admins and the supervising offices only" },
        404: { description: 'UNIT.NOT_FOUND: no such unit' },
      },
      handle: async ({ params, ctx }) => reply(await supervision.unit({ actor: actorOf(ctx), unitKey: params.unit })),
    }),
  ];
}
