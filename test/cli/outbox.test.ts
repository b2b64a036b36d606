import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { setEnv } from '../fixtures/process-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `hall outbox`: the IT Office watches the relay to the data platform, retries parked events, replays history. */
describe('hall outbox (in process)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let restoreEnv = () => {};
  const ids: string[] = [];
  before(async () => {
    t = await createTestApp();
    restoreEnv = setEnv({
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      // no relay runs in these tests: the platform is only named
      DATA_PLATFORM_URL: 'http://127.0.0.1:9/events',
    });
    await t.db.knex('outbox').delete();
    for (const [i, at] of ['2026-11-01T08:00:00Z', '2026-11-02T08:00:00Z', '2026-11-03T08:00:00Z'].entries()) {
      const id = `00000000-0000-4000-8000-00000000000${i + 1}`;
      ids.push(id);
      await t.db.knex('outbox').insert({
        id,
        topic: 'test.submitted',
        aggregate_type: 'application',
        aggregate_id: `app-${i}`,
        payload: {},
        occurred_at: at,
      });
    }
    // the relay delivered everything, then parked the last event
    await t.db.knex.raw(`INSERT INTO outbox_sinks (sink, lo_snapshot) VALUES ('data-platform', pg_current_snapshot())`);
    const last = await t.db.knex('outbox').where({ id: ids[2] }).first();
    await t.db.knex('outbox_parked').insert({
      sink: 'data-platform',
      seq: last.seq,
      aggregate_type: 'application',
      aggregate_id: 'app-2',
      reason: 'data-platform answered 400: bad event',
      parked_at: '2026-11-03T08:00:01Z',
    });
  });
  after(async () => {
    restoreEnv();
    await t.close();
  });

  const hall = (...args: string[]) => runCommand(args, { root });

  it('status: backlog, lag and parked events per sink', async () => {
    const { stdout, error } = await hall('outbox', 'status', '--operator', 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    const status = JSON.parse(stdout) as {
      sinks: Array<{ sink: string; backlog: number; parked: number }>;
      parked: Array<{ id: string; reason: string }>;
    };
    expect(status.sinks.map((s) => [s.sink, s.backlog, s.parked])).to.deep.equal([['data-platform', 0, 1]]);
    expect(status.parked.map((p) => [p.id, p.reason])).to.deep.equal([
      [ids[2], 'data-platform answered 400: bad event'],
    ]);
    const text = await hall('outbox', 'status', '--operator', 'T0002');
    expect(text.stdout).to.match(/data-platform\tbacklog 0\tlag 0s\tparked 1/);
  });

  it('retry marks the parked events to go again, audited; only the IT Office may', async () => {
    expect((await hall('outbox', 'retry', '--operator', 'T0301')).error?.oclif?.exit).to.equal(2);
    const bad = await hall('outbox', 'retry', '--operator', 'T0002', '--sink', 'nope');
    expect(bad.error?.message).to.contain("no sink 'nope' is configured");
    const { stdout, error } = await hall('outbox', 'retry', '--operator', 'T0002', '--sink', 'data-platform');
    expect(error, String(error?.message)).to.equal(undefined);
    expect(stdout).to.contain('1 parked event will be sent again');
    expect((await t.db.knex('outbox_parked').whereNotNull('retry_requested_at')).length).to.equal(1);
    const audit = await t.db.knex('audit_log').where({ action: 'outbox.parked-retried' }).first();
    expect(audit).to.deep.include({ actor_id: 'T0002', entity_id: 'data-platform' });
  });

  it('replay moves the sink back to send everything since a time again, audited', async () => {
    const bad = await hall(
      'outbox',
      'replay',
      '--operator',
      'T0002',
      '--sink',
      'data-platform',
      '--since',
      'yesterday',
    );
    expect(bad.error?.message).to.contain("'yesterday' is not a time");
    const { stdout, error } = await hall(
      ...['outbox', 'replay', '--operator', 'T0002', '--sink', 'data-platform', '--since', '2026-11-02T00:00:00Z'],
    );
    expect(error, String(error?.message)).to.equal(undefined);
    // the last two, and the event of the retry above (its change is an event too)
    expect(stdout).to.contain('3 events will be sent to data-platform again');
    const status = JSON.parse((await hall('outbox', 'status', '--operator', 'T0002', '--json')).stdout) as {
      sinks: Array<{ backlog: number; lagSeconds: number }>;
    };
    // the second event, the retry's and the replay's own; the parked one waits for its retry
    expect(status.sinks[0]!.backlog).to.equal(3);
    expect(status.sinks[0]!.lagSeconds).to.be.greaterThan(0);
    const audit = await t.db.knex('audit_log').where({ action: 'outbox.replayed' }).first();
    expect(audit).to.deep.include({ actor_id: 'T0002', entity_id: 'data-platform' });
    expect(audit.after).to.deep.equal({ since: '2026-11-02T00:00:00.000Z', events: 3 });
  });
});
