import type { Container } from 'inversify';
import type { Knex } from 'knex';
import { z } from 'zod';
import { pendingMigrations } from '../../../driven/knex/migration-source.js';
import { KNEX } from '../../../composition/tokens.js';
import { METRICS, type PrometheusMetrics } from '../../../driven/prom-client/prometheus-metrics.js';
import { route, type RouteSpec } from '../route.js';

export function healthRoutes(container: Container): RouteSpec[] {
  const knex = container.get<Knex>(KNEX);
  const metrics = container.get<PrometheusMetrics>(METRICS);
  return [
    route({
      method: 'get', path: '/metrics', operationId: 'metrics', summary: 'Prometheus metrics (text exposition format)', tags: ['operations'], auth: false,
      responses: { 200: { description: 'metrics in the Prometheus text format' } },
      handle: async () => {
        const { contentType, body } = await metrics.render();
        return { status: 200, body, headers: { 'Content-Type': contentType } };
      },
    }),
    route({
      method: 'get', path: '/healthz', operationId: 'healthz', summary: 'The process is alive', tags: ['operations'], auth: false,
      responses: { 200: { description: 'alive', schema: z.object({ status: z.literal('ok') }) } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    route({
      method: 'get', path: '/readyz', operationId: 'readyz', summary: 'The database is reachable and its schema current', tags: ['operations'], auth: false,
      responses: {
        200: { description: 'ready', schema: z.object({ status: z.literal('ready') }) },
        503: { description: 'not ready', schema: z.object({ status: z.literal('not-ready'), reason: z.string() }) },
      },
      handle: async () => {
        try {
          await knex.raw('select 1');
          const pending = await pendingMigrations(knex);
          if (pending.length) return { status: 503, body: { status: 'not-ready', reason: `pending migrations: ${pending.join(', ')}` } };
          return { status: 200, body: { status: 'ready' } };
        } catch {
          return { status: 503, body: { status: 'not-ready', reason: 'database unreachable' } };
        }
      },
    }),
  ];
}
