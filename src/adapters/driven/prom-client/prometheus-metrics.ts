import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../../application/ports/metrics.port.js';

/** One registry per container (never the process-global one), so tests and instances stay apart. */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly problems: Counter<'code'>;
  private readonly poolWait: Histogram<'outcome'>;
  private readonly statements: Counter;
  private readonly outboxDeliveries: Counter<'sink'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hall_' });
    this.requestDuration = new Histogram({
      name: 'hall_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.problems = new Counter({
      name: 'hall_http_problems_total',
      help: 'Problem responses by stable error code',
      labelNames: ['code'],
      registers: [this.registry],
    });
    this.statements = new Counter({
      name: 'hall_db_statements_total',
      help: 'Statements sent to PostgreSQL (transaction control included)',
      registers: [this.registry],
    });
    this.outboxDeliveries = new Counter({
      name: 'hall_outbox_delivered_total',
      help: 'Outbox events a sink accepted from this instance (re-sends after a failure or replay count again)',
      labelNames: ['sink'],
      registers: [this.registry],
    });
    this.poolWait = new Histogram({
      name: 'hall_db_pool_wait_seconds',
      help: 'How long requests waited for a database connection; outcome timeout: answered 503',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  statementSent(): void {
    this.statements.inc();
  }

  poolWaited(o: { seconds: number; outcome: 'acquired' | 'timeout' }): void {
    this.poolWait.observe({ outcome: o.outcome }, o.seconds);
  }

  poolFigures(read: () => { used: number; free: number; pending: number }): void {
    new Gauge({
      name: 'hall_db_pool_connections',
      help: 'Database connections of this instance: used, free, and requests waiting for one (pending)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const s = read();
        this.set({ state: 'used' }, s.used);
        this.set({ state: 'free' }, s.free);
        this.set({ state: 'pending' }, s.pending);
      },
    });
  }

  outboxDelivered(o: { sink: string; events: number }): void {
    this.outboxDeliveries.inc({ sink: o.sink }, o.events);
  }

  outboxFigures(read: () => Promise<Array<{ sink: string; backlog: number; parked: number }>>): void {
    new Gauge({
      name: 'hall_outbox_backlog',
      help: 'Outbox events per sink: not yet delivered (state backlog), and parked until an operator retries them',
      labelNames: ['sink', 'state'],
      registers: [this.registry],
      async collect() {
        for (const f of await read()) {
          this.set({ sink: f.sink, state: 'backlog' }, f.backlog);
          this.set({ sink: f.sink, state: 'parked' }, f.parked);
        }
      },
    });
  }

  pluginHealth(read: () => Array<{ plugin: string; status: string }>): void {
    const statuses = ['ok', 'degraded', 'down', 'unknown'];
    new Gauge({
      name: 'hall_plugin_health',
      help: 'What each loaded plugin last said of its health: 1 for its current status, 0 for the others',
      labelNames: ['plugin', 'status'],
      registers: [this.registry],
      collect() {
        for (const r of read())
          for (const s of statuses) this.set({ plugin: r.plugin, status: s }, r.status === s ? 1 : 0);
      },
    });
  }

  observeRequest(o: { method: string; route: string; status: number; seconds: number }): void {
    this.requestDuration.observe({ method: o.method, route: o.route, status: String(o.status) }, o.seconds);
  }

  countProblem(o: { code: string }): void {
    this.problems.inc({ code: o.code });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
