import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import request from 'supertest';
import { seedDemoServiceItems } from '../../src/adapters/composition/demo.js';
import { createTestApp, TEST_METRICS_TOKEN, type TestApp } from '../fixtures/test-app.js';
import { act, apply, type AppBody } from './application-helpers.js';
import { as } from './lifecycle-helpers.js';

const leave = { from: '2026-12-01', to: '2026-12-02', days: 2, reason: '看病', leaves_city: false };

/** Prometheus text → value of one series, or undefined when it is absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** After a demo workflow, /metrics tells operations what happened, with bounded labels (e2e). */
describe('operations metrics after a demo workflow (e2e)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let text: string;
  let unit: string;

  before(async () => {
    // a business connector configured (its peer need not answer: nothing calls it here)
    t = await createTestApp(undefined, (c) => ({
      ...c,
      connectors: { 'dormitory-system': { url: 'http://127.0.0.1:9/cases', timeoutMs: 1000 } },
      // and a data platform (no relay runs here: its backlog is what the metrics show)
      outbox: { ...c.outbox, http: { url: 'http://127.0.0.1:9/events', timeoutMs: 1000 } },
    }));
    await seedDemoServiceItems(t.container, pino({ level: 'silent' }));
    const cat = await as(t, 'student-xx').get('/api/v1/catalogue');
    const item = cat.body.items.find((i: { code: string }) => i.code === 'XG-QJ');
    unit = (await t.db.knex('service_items').where({ id: item.id }).first()).owning_unit;
    // one completed (counselor, then done), one rejected, one withdrawn, one left open
    const claimAndApprove = async (a: AppBody) => {
      const task = a.currentTasks[0]!;
      await act(t, 'xx-counselor', task.id, 'claim');
      return (await act(t, 'xx-counselor', task.id, 'approve')).body as AppBody;
    };
    let done = await apply(t, item.id, 'student-xx', leave);
    done = await claimAndApprove(done);
    done = await claimAndApprove(done);
    expect(done.state).to.equal('completed');
    const rejected = await apply(t, item.id, 'student-xx', leave);
    await act(t, 'xx-counselor', rejected.currentTasks[0]!.id, 'claim');
    expect(
      (await act(t, 'xx-counselor', rejected.currentTasks[0]!.id, 'reject', { reason: '材料不全' })).status,
    ).to.equal(200);
    const withdrawn = await apply(t, item.id, 'student-xx', leave);
    expect((await as(t, 'student-xx').post(`/api/v1/applications/${withdrawn.id}/withdrawal`)).status).to.equal(200);
    await apply(t, item.id, 'student-xx', leave);
    expect(
      (await request(t.app).post('/api/v1/auth/login').send({ username: 'student-xx', password: 'wrong' })).status,
    ).to.equal(401);
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TEST_METRICS_TOKEN}`);
    expect(res.status).to.equal(200);
    text = res.text;
  });
  after(() => t.close());

  it('counts applications by outcome and owning unit, and times the decided steps', () => {
    for (const [outcome, n] of [
      ['submitted', 4],
      ['completed', 1],
      ['rejected', 1],
      ['withdrawn', 1],
    ] as const) {
      expect(series(text, 'hall_applications_total', { outcome, unit }), outcome).to.equal(n);
    }
    expect(series(text, 'hall_task_step_duration_seconds_count', { unit }), 'two approvals and a rejection').to.equal(
      3,
    );
  });

  it('shows open and overdue tasks per unit as the database has them, and the job queues', async () => {
    const open = await t.db.knex('tasks').where({ status: 'open', owning_unit: unit }).count({ n: '*' });
    expect(series(text, 'hall_tasks', { unit, state: 'open' }))
      .to.equal(Number(open[0]!.n))
      .and.to.equal(1);
    expect(series(text, 'hall_tasks', { unit, state: 'overdue' })).to.equal(0);
    const waiting = await t.db.knex('pgboss.job').whereIn('state', ['created', 'retry']).count({ n: '*' });
    const depth = text
      .split('\n')
      .filter((l) => l.startsWith('hall_job_queue_depth{'))
      .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    expect(depth, 'every waiting job, by queue').to.equal(Number(waiting[0]!.n));
    expect(text).to.match(/^hall_job_queue_oldest_seconds\{queue="[^"]+"\} \d/m);
  });

  it('counts sign-ins by method and outcome, shows connector breakers and the pool; no person or application id in a label', () => {
    expect(series(text, 'hall_sign_ins_total', { method: 'password', outcome: 'success' })).to.be.greaterThan(0);
    expect(series(text, 'hall_sign_ins_total', { method: 'password', outcome: 'failure' })).to.equal(1);
    expect(series(text, 'hall_connector_breaker_open', { connector: 'dormitory-system' })).to.equal(0);
    expect(series(text, 'hall_db_pool_connections', { state: 'used' })).to.be.a('number');
    expect(series(text, 'hall_outbox_backlog', { sink: 'data-platform', state: 'backlog' })).to.be.greaterThan(0);
    expect(series(text, 'hall_outbox_lag_seconds', { sink: 'data-platform' })).to.be.at.least(0);
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    for (const v of labelValues) {
      expect(v, 'a label value').not.to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-|^20\d{8}$|^T\d{4}$/);
    }
  });

  it('the Grafana dashboard and the alerting rules name only metrics the hall exposes', () => {
    const dashboard = JSON.parse(readFileSync('ops/grafana/service-hall.json', 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const rules = parseYaml(readFileSync('ops/prometheus/alerts.yml', 'utf8')) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    // every family the hall declares (a labelled counter has no sample before its first event)
    const exposed = new Set(
      [...text.matchAll(/^# TYPE ([a-z_:]+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [name!, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!],
      ),
    );
    const queries = [
      ...dashboard.panels.flatMap((p) => p.targets.map((q) => [`panel ${p.title}`, q.expr] as const)),
      ...rules.groups.flatMap((g) => g.rules.map((r) => [`alert ${r.alert}`, r.expr] as const)),
    ];
    expect(queries.length).to.be.greaterThan(20);
    const missing = queries.flatMap(([where, expr]) =>
      [...expr.matchAll(/\bhall_[a-z_]+/g)]
        .map((m) => m[0])
        .filter((name) => !exposed.has(name))
        .map((n) => `${where}: ${n}`),
    );
    expect(missing, 'metrics named but not exposed').to.deep.equal([]);
  });
});
