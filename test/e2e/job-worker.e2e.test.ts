import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildJobWorker } from '../../src/adapters/composition/jobs.js';
import type { JobWorker } from '../../src/adapters/driving/jobs/job-worker.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { startSmtpServer, type TestSmtpServer } from '../fixtures/smtp-server.js';
import { onlineItem } from './lifecycle-helpers.js';
import { apply, reimbursement } from './application-helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Applications whose review task's 'due' reminder is due now (the others stay in the future). */
async function dueNow(t: TestApp, itemId: string, n: number): Promise<string[]> {
  const tasks: string[] = [];
  for (let i = 0; i < n; i++) tasks.push((await apply(t, itemId)).currentTasks[0]!.id);
  await t.db
    .knex('pgboss.job')
    .where({ name: 'task-reminder' })
    .whereRaw("data->>'kind' = 'due' AND data->>'taskId' = ANY(?)", [tasks])
    .update({ start_after: t.db.knex.raw("now() - interval '1 second'") });
  return tasks;
}

const dueJobs = (t: TestApp, tasks: string[]) =>
  t.db
    .knex('pgboss.job')
    .where({ name: 'task-reminder' })
    .whereRaw("data->>'kind' = 'due' AND data->>'taskId' = ANY(?)", [tasks]);

describe('durable reminder jobs worked by pg-boss workers (e2e)', function () {
  this.timeout(120_000);

  describe('one worker in process, with e-mail', () => {
    let t: TestApp;
    let smtp: TestSmtpServer;
    let worker: JobWorker;
    before(async () => {
      smtp = await startSmtpServer();
      t = await createTestApp(undefined, (c) => ({
        ...c,
        smtp: {
          host: smtp.host,
          port: smtp.port,
          secure: false,
          from: '"网上办事大厅" <hall@campus.test>',
          timeoutMs: 3000,
        },
      }));
      await t.db.knex('people').where({ id: 'T0302' }).update({ email: 'sun.cw@campus.test' });
      worker = buildJobWorker(
        t.container,
        { connectionString: t.db.url, maintenanceSeconds: 5, pollingSeconds: 0.5 },
        pino({ level: 'silent' }),
      );
      await worker.start();
    });
    after(async () => {
      await worker.stop();
      await t.close();
      await smtp.stop();
    });

    it('a due timer becomes a portal message and an e-mail to the holder, once', async () => {
      const itemId = (await onlineItem(t, 'CW-MAIL', reimbursement('all'))).itemId;
      const [task] = await dueNow(t, itemId, 1);
      const mail = await until('the e-mail', async () =>
        smtp.messages.find((m) => m.envelope.to.includes('sun.cw@campus.test')),
      );
      expect(mail.subject).to.match(/^【到期提醒】差旅费报销 /);
      expect(mail.text).to.contain('请尽快办理');
      // the mark follows the send: wait for it rather than race it
      const rows = await until('the e-mail marked sent', async () => {
        const r = await t.db.knex('notifications').where({ task_id: task, kind: 'reminder.due' });
        return r.every((x: { email_status: string }) => x.email_status !== 'pending') && r;
      });
      expect(
        rows.map((r: { recipient_id: string; email_status: string }) => [r.recipient_id, r.email_status]),
      ).to.deep.equal([['T0302', 'sent']]);
      expect((await dueJobs(t, [task!]).first()).state).to.equal('completed');
    });
  });

  describe('two instances working at once', () => {
    let t: TestApp;
    const workers: JobWorker[] = [];
    before(async () => {
      t = await createTestApp();
    });
    after(async () => {
      for (const w of workers) await w.stop();
      await t.close();
    });

    it('share a burst: every reminder is sent, none twice', async () => {
      const itemId = (await onlineItem(t, 'CW-PAIR', reimbursement('all'))).itemId;
      const tasks = await dueNow(t, itemId, 20);
      for (let i = 0; i < 2; i++) {
        const w = buildJobWorker(
          t.container,
          { connectionString: t.db.url, maintenanceSeconds: 5, pollingSeconds: 0.5, batchSize: 3 },
          pino({ level: 'silent' }),
        );
        workers.push(w);
        await w.start();
      }
      await until(
        'every reminder job completed',
        async () => (await dueJobs(t, tasks).whereNot({ state: 'completed' })).length === 0,
      );
      const sent = await t.db
        .knex('notifications')
        .whereIn('task_id', tasks)
        .where({ kind: 'reminder.due' })
        .select('task_id');
      expect(sent).to.have.length(tasks.length);
      expect(new Set(sent.map((r: { task_id: string }) => r.task_id)).size).to.equal(tasks.length);
    });
  });

  describe('a worker killed in the middle of a burst', () => {
    let t: TestApp;
    const children: ChildProcess[] = [];
    before(async () => {
      t = await createTestApp(undefined, (c) => ({ ...c, jobs: { ...c.jobs, expireSeconds: 3 } }));
    });
    after(async () => {
      for (const c of children) c.kill('SIGKILL');
      await t.close();
    });

    async function startWorker(holdMs: number): Promise<ChildProcess> {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/job-worker-process.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: t.db.url, HOLD_MS: String(holdMs) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`the worker exited with ${code}`)));
      });
      return child;
    }

    it('loses no reminder and sends none twice', async () => {
      const itemId = (await onlineItem(t, 'CW-BURST', reimbursement('all'))).itemId;
      const tasks = await dueNow(t, itemId, 30);
      const first = await startWorker(300);
      // kill it while it holds jobs whose work has not committed
      await until('some reminders sent and a job in flight', async () => {
        const sent = Number(
          (await t.db.knex('notifications').whereIn('task_id', tasks).count<{ n: string }[]>({ n: '*' }))[0]!.n,
        );
        const active = await dueJobs(t, tasks).where({ state: 'active' }).first();
        return sent >= 5 && active;
      });
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const inFlight = await dueJobs(t, tasks).where({ state: 'active' });
      expect(inFlight.length, 'jobs held by the killed worker').to.be.greaterThan(0);

      await startWorker(0);
      await until(
        'every reminder job completed',
        async () => (await dueJobs(t, tasks).whereNot({ state: 'completed' })).length === 0,
      );
      const sent = await t.db
        .knex('notifications')
        .whereIn('task_id', tasks)
        .where({ kind: 'reminder.due' })
        .select('task_id', 'recipient_id');
      expect(sent).to.have.length(tasks.length);
      expect(new Set(sent.map((r: { task_id: string }) => r.task_id)).size).to.equal(tasks.length);
      const audited = await t.db.knex('audit_log').whereIn('entity_id', tasks).where({ action: 'task.reminded' });
      expect(audited).to.have.length(tasks.length);
      // the jobs taken back from the dead worker were retried, not lost
      const retried = await dueJobs(t, tasks).where('retry_count', '>', 0);
      expect(retried.length).to.be.greaterThan(0);
    });
  });
});
