import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { setEnv } from '../fixtures/process-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `hall jobs`: the IT Office watches the durable queues and sends failed jobs round again. */
describe('hall jobs (in process)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let restoreEnv = () => {};
  before(async () => {
    t = await createTestApp();
    restoreEnv = setEnv({
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    });
    const job = (id: string, state: string, startAfter: string) => ({
      id,
      name: 'notification-email',
      data: { notificationId: id },
      state,
      start_after: startAfter,
    });
    await t.db
      .knex('pgboss.job')
      .insert([
        job('00000000-0000-4000-8000-000000000001', 'failed', '2026-11-01T00:00:00Z'),
        job('00000000-0000-4000-8000-000000000002', 'failed', '2026-11-01T00:00:00Z'),
        job('00000000-0000-4000-8000-000000000003', 'created', '2026-11-02T00:00:00Z'),
        job('00000000-0000-4000-8000-000000000004', 'created', '2999-01-01T00:00:00Z'),
      ]);
  });
  after(async () => {
    restoreEnv();
    await t.close();
  });

  const hall = (...args: string[]) => runCommand(args, { root });

  it('status: jobs by state per queue, and the oldest due but not taken', async () => {
    const { stdout, error } = await hall('jobs', 'status', '--operator', 'T0002', '--json');
    expect(error, String(error?.message)).to.equal(undefined);
    const { queues } = JSON.parse(stdout) as {
      queues: Array<{ queue: string; states: Record<string, number>; oldestDue: string | null }>;
    };
    expect(queues.find((q) => q.queue === 'notification-email')).to.deep.equal({
      queue: 'notification-email',
      states: { created: 2, retry: 0, active: 0, completed: 0, cancelled: 0, failed: 2 },
      oldestDue: '2026-11-02T00:00:00.000Z',
    });
    expect(queues.find((q) => q.queue === 'task-reminder')!.states.failed).to.equal(0);
  });

  it('retry: failed jobs go round again, audited with the operator; only the IT Office may', async () => {
    const refused = await hall('jobs', 'retry', '--operator', 'T0301');
    expect(refused.error?.oclif?.exit).to.equal(2);
    const bad = await hall('jobs', 'retry', '--operator', 'T0002', '--queue', 'nope');
    expect(bad.error?.message).to.contain("no queue 'nope'");
    const { stdout, error } = await hall('jobs', 'retry', '--operator', 'T0002', '--queue', 'notification-email');
    expect(error, String(error?.message)).to.equal(undefined);
    expect(stdout).to.contain('retried 2 failed jobs');
    expect((await t.db.knex('pgboss.job').where({ state: 'failed' })).length).to.equal(0);
    expect((await t.db.knex('pgboss.job').where({ state: 'retry' })).length).to.equal(2);
    const audit = await t.db.knex('audit_log').where({ action: 'jobs.failed-retried' }).first();
    expect(audit).to.deep.include({ actor_id: 'T0002', entity_id: 'notification-email' });
  });
});
