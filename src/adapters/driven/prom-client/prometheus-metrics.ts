import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../../application/ports/metrics.port.js';

/** What an event says happened to an application: hall_applications_total's outcome. */
const APPLICATION_OUTCOMES: Readonly<Record<string, string>> = {
  'application.submitted': 'submitted',
  'application.completed': 'completed',
  'task.rejected': 'rejected',
  'application.withdrawn': 'withdrawn',
  'application.cancelled': 'cancelled',
};

/** Reminder and escalation events: hall_reminders_total's kind. */
const REMINDER_KINDS: Readonly<Record<string, string>> = {
  'task.reminded': 'task-reminder',
  'task.overdue-escalated': 'task-escalation',
  'follow-up.reminded': 'follow-up-reminder',
  'follow-up.overdue-escalated': 'follow-up-escalation',
};

/** One registry per container (never the process-global one), so tests and instances stay apart. */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly problems: Counter<'code'>;
  private readonly poolWait: Histogram<'outcome'>;
  private readonly statements: Counter;
  private readonly outboxDeliveries: Counter<'sink'>;
  private readonly applications: Counter<'outcome' | 'unit'>;
  private readonly reminders: Counter<'kind' | 'unit'>;
  private readonly taskSteps: Histogram<'unit'>;
  private readonly signIns: Counter<'method' | 'outcome'>;

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
    this.applications = new Counter({
      name: 'hall_applications_total',
      help: 'Applications by what happened to them (submitted, completed, rejected, withdrawn, cancelled) and owning unit',
      labelNames: ['outcome', 'unit'],
      registers: [this.registry],
    });
    this.reminders = new Counter({
      name: 'hall_reminders_total',
      help: 'Reminders and escalations sent, by kind and unit',
      labelNames: ['kind', 'unit'],
      registers: [this.registry],
    });
    this.taskSteps = new Histogram({
      name: 'hall_task_step_duration_seconds',
      help: 'How long a task stood open before it was decided (approved, rejected, returned), per unit',
      labelNames: ['unit'],
      buckets: [60, 600, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400],
      registers: [this.registry],
    });
    this.signIns = new Counter({
      name: 'hall_sign_ins_total',
      help: 'Sign-ins by method (password, cas, oidc) and outcome (success, failure, locked)',
      labelNames: ['method', 'outcome'],
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

  outboxFigures(
    read: () => Promise<Array<{ sink: string; backlog: number; parked: number; lagSeconds: number }>>,
  ): void {
    // read once per scrape, for both gauges
    let figures: Promise<Array<{ sink: string; backlog: number; parked: number; lagSeconds: number }>> | null = null;
    const once = () => (figures ??= read().finally(() => setImmediate(() => (figures = null))));
    new Gauge({
      name: 'hall_outbox_backlog',
      help: 'Outbox events per sink: not yet delivered (state backlog), and parked until an operator retries them',
      labelNames: ['sink', 'state'],
      registers: [this.registry],
      async collect() {
        for (const f of await once()) {
          this.set({ sink: f.sink, state: 'backlog' }, f.backlog);
          this.set({ sink: f.sink, state: 'parked' }, f.parked);
        }
      },
    });
    new Gauge({
      name: 'hall_outbox_lag_seconds',
      help: 'Per sink: age of the oldest outbox event not yet delivered (0 when caught up)',
      labelNames: ['sink'],
      registers: [this.registry],
      async collect() {
        for (const f of await once()) this.set({ sink: f.sink }, f.lagSeconds);
      },
    });
  }

  changesCommitted(changes: ReadonlyArray<{ topic: string; unit: string | null }>): void {
    for (const c of changes) {
      const unit = c.unit ?? 'none';
      const outcome = APPLICATION_OUTCOMES[c.topic];
      if (outcome) this.applications.inc({ outcome, unit });
      const reminder = REMINDER_KINDS[c.topic];
      if (reminder) this.reminders.inc({ kind: reminder, unit });
    }
  }

  taskDecided(o: { unit: string; seconds: number }): void {
    this.taskSteps.observe({ unit: o.unit }, o.seconds);
  }

  signedIn(o: { method: string; outcome: 'success' | 'failure' | 'locked' }): void {
    this.signIns.inc({ method: o.method, outcome: o.outcome });
  }

  taskFigures(read: () => Promise<Array<{ unit: string; open: number; overdue: number }>>): void {
    new Gauge({
      name: 'hall_tasks',
      help: 'Open tasks per unit (state open), and those of them past their due time (state overdue)',
      labelNames: ['unit', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const f of await read()) {
          this.set({ unit: f.unit, state: 'open' }, f.open);
          this.set({ unit: f.unit, state: 'overdue' }, f.overdue);
        }
      },
    });
  }

  jobFigures(read: () => Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>>): void {
    let figures: Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>> | null = null;
    const once = () => (figures ??= read().finally(() => setImmediate(() => (figures = null))));
    new Gauge({
      name: 'hall_job_queue_depth',
      help: 'Jobs waiting per queue (created or to be retried)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const f of await once()) this.set({ queue: f.queue }, f.waiting);
      },
    });
    new Gauge({
      name: 'hall_job_queue_oldest_seconds',
      help: 'Per queue: age of the oldest waiting job (0 when none waits)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const f of await once()) this.set({ queue: f.queue }, f.oldestSeconds);
      },
    });
  }

  breakerFigures(read: () => Array<{ connector: string; open: boolean }>): void {
    new Gauge({
      name: 'hall_connector_breaker_open',
      help: "1 while a business connector's circuit breaker is open (its calls fail at once), else 0",
      labelNames: ['connector'],
      registers: [this.registry],
      collect() {
        for (const b of read()) this.set({ connector: b.connector }, b.open ? 1 : 0);
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
