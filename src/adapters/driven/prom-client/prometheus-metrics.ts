import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per container (never the process-global one), so tests and instances stay apart. */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly problems: Counter<'code'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hall_' });
    this.requestDuration = new Histogram({
      name: 'hall_http_request_duration_seconds', help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.problems = new Counter({
      name: 'hall_http_problems_total', help: 'Problem responses by stable error code', labelNames: ['code'], registers: [this.registry],
    });
  }

  observeRequest(o: { method: string; route: string; status: number; seconds: number }): void {
    this.requestDuration.observe({ method: o.method, route: o.route, status: String(o.status) }, o.seconds);
  }

  countProblem(code: string): void {
    this.problems.inc({ code });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
export const METRICS = Symbol.for('app.metrics');
