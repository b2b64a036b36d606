import type { ReadinessUseCase } from '../../../../application/operations/readiness.use-case.js';
import type { Metrics } from '../../../../application/ports/metrics.port.js';
import type { MetricsAccess } from '../metrics-access.js';
import { route, type RouteSpec } from '../route.js';
import { Alive, NotReady, Ready } from '../schemas/operations.schemas.js';

/** Liveness, readiness and metrics, for the load balancer and the monitoring (no sign-in; metrics with their own token). */
export function healthRoutes(
  { readiness }: { readiness: ReadinessUseCase },
  metrics: Pick<Metrics, 'exposition'>,
  metricsAccess: MetricsAccess,
): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics (text exposition format), for the bearer of METRICS_TOKEN',
      tags: ['operations'],
      auth: false,
      database: false,
      responses: {
        200: { description: 'metrics in the Prometheus text format', content: { 'text/plain': 'text' } },
        401: {
          description:
            'METRICS.UNAUTHORIZED: no or another bearer token than METRICS_TOKEN; METRICS.NOT_CONFIGURED: in production without METRICS_TOKEN',
        },
      },
      handle: async ({ req, res }) => {
        const refused = metricsAccess.refusal(req.headers.authorization);
        if (refused) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
          throw refused;
        }
        const { contentType, body } = await metrics.exposition();
        return { status: 200, body, headers: { 'Content-Type': contentType } };
      },
    }),
    route({
      method: 'get',
      path: '/healthz',
      operationId: 'healthz',
      summary: 'The process is alive',
      tags: ['operations'],
      auth: false,
      database: false,
      responses: { 200: { description: 'alive', schema: Alive } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    route({
      method: 'get',
      path: '/readyz',
      operationId: 'readyz',
      summary: 'The database is reachable and its schema current',
      tags: ['operations'],
      auth: false,
      responses: {
        200: { description: 'ready', schema: Ready },
        503: { description: 'not ready: the database is unreachable or migrations are pending', schema: NotReady },
      },
      handle: async () => {
        const r = await readiness.execute();
        if (!r.ok) throw r.error;
        const { plugins, dependencies } = r.value;
        return r.value.ready
          ? { status: 200, body: { status: 'ready', dependencies, plugins } }
          : { status: 503, body: { status: 'not-ready', reason: r.value.reason, dependencies, plugins } };
      },
    }),
  ];
}
