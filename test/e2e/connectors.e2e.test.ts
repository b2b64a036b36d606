import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { pluginInstances } from '../../src/adapters/plugin-host/hall-config.js';
import { PluginBusinessConnectors } from '../../src/adapters/plugin-host/plugin-business-connectors.js';
import { loadPlugins } from '../../src/adapters/plugin-host/plugin-host.js';
import { buildJobWorker } from '../../src/adapters/composition/jobs.js';
import type { JobWorker } from '../../src/adapters/driving/jobs/job-worker.js';
import { connectorJobs, makeDue, pollConnectorCalls } from '../fixtures/connector-jobs.js';
import { eventually } from '../fixtures/eventually.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { application, as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, type ProgressBody } from './application-helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A department's business system, played by a real HTTP server the test controls. */
class DormitorySystem {
  /** 'hold': the request is recorded and left unanswered (a call in flight). */
  mode: 'ok' | 'fail' | 'hold' = 'ok';
  hits: Array<{
    key: string | undefined;
    body: { caseNumber: string; node: string; requestId: string; fields: Record<string, unknown> };
  }> = [];
  private held: ServerResponse[] = [];
  private server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      this.hits.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw) });
      if (this.mode === 'hold') {
        this.held.push(res);
        return;
      }
      if (this.mode === 'fail') {
        res.writeHead(503).end('maintenance');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ reference: `DORM-${this.hits.length}` }));
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cases`;
  }
  async stop(): Promise<void> {
    for (const r of this.held) r.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const dormChange = {
  form: {
    type: 'object',
    required: ['room'],
    properties: { room: { type: 'string' }, bank_account: { type: 'string' } },
  },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    {
      key: 'allocate',
      kind: 'transfer',
      name: '转住宿系统',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 5 },
      connector: 'dormitory-system',
      // the dormitory system needs the room, not the applicant's bank account (Art. 15)
      connectorFields: ['room'],
    },
    {
      key: 'done',
      kind: 'complete',
      name: '办结',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 1 },
    },
  ],
};

describe('business-system connectors on the job queue (e2e, real HTTP peer)', function () {
  this.timeout(120_000);

  describe('one attempt at a time', () => {
    let t: TestApp;
    let itemId: string;
    let connectors: PluginBusinessConnectors;
    const system = new DormitorySystem();

    before(async () => {
      const url = await system.start();
      // CONNECTORS as the hall reads it: one instance of the bundled HTTP connector plugin per entry
      const plugins = await loadPlugins(
        pluginInstances(undefined, { 'dormitory-system': { url, timeoutMs: 2000 } }, {}),
        {
          logger: pino({ level: 'silent' }),
        },
      );
      connectors = new PluginBusinessConnectors(plugins, { resetTimeoutMs: 60_000, volumeThreshold: 4 });
      t = await createTestApp(() => ({ connectors }));
      itemId = (await onlineItem(t, 'CW-DORM', dormChange)).itemId;
    });
    after(async () => {
      await t.close();
      await system.stop();
    });

    const history = async (id: string) =>
      ((await as(t, 'student-xx').get(`/api/v1/applications/${id}`)).body as ProgressBody).history;
    const poll = () => pollConnectorCalls(t.db.knex, t.container);

    it('reaching a transfer node queues the call with the action; two workers polling at once send it once, and the history shows the reference', async () => {
      const a = await apply(t, itemId, 'student-xx', { room: '5-302', bank_account: '6222020200112233445' });
      expect(system.hits, "nothing is sent inside the user's request").to.have.length(0);
      expect(a.currentTasks[0]).to.include({ node: 'allocate', assignee: 'T0302' });
      const [job] = await connectorJobs(t.db.knex, a.id);
      expect(job).to.include({ state: 'created' });
      const [one, two] = await Promise.all([poll(), poll()]);
      expect([...one, ...two]).to.deep.equal(['sent']);
      expect(system.hits).to.have.length(1);
      expect(system.hits[0]!.body).to.include({ caseNumber: a.caseNumber, node: 'allocate', requestId: job!.id });
      expect(system.hits[0]!.key, 'the idempotency key is the job').to.equal(job!.id);
      expect(system.hits[0]!.body.fields, 'only the fields the node declares').to.deep.equal({ room: '5-302' });
      expect(JSON.stringify(system.hits[0]!.body)).not.to.contain('6222020200112233445');
      expect((await history(a.id)).at(-1)).to.deep.include({
        action: 'connector-succeeded',
        detail: { connector: 'dormitory-system', reference: 'DORM-1' },
      });
      expect((await connectorJobs(t.db.knex, a.id))[0]).to.include({ state: 'completed' });
      expect(
        await t.db
          .knex('audit_log')
          .where({ entity_id: a.id, action: 'connector.succeeded' })
          .count({ n: '*' })
          .then((r) => Number(r[0]!.n)),
      ).to.equal(1);
    });

    it('a definition naming a connector this hall has not configured is refused when saved, with its path', async () => {
      const created = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: 'CW-LIB' });
      const id = created.body.id as string;
      await as(t, 'xb-officer').post(`/api/v1/service-items/${id}/approvals`);
      await as(t, 'it-officer').post(`/api/v1/service-items/${id}/approvals`);
      const unknown = structuredClone(dormChange) as { nodes: Array<Record<string, unknown>> };
      unknown.nodes[1]!.connector = 'library-system';
      delete unknown.nodes[1]!.connectorFields;
      const res = await as(t, 'cw-admin').put(`/api/v1/service-items/${id}/draft/definition`, unknown);
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('PROCESS_DEFINITION.INVALID');
      expect(
        (res.body.errors as Array<{ path: string; message: string }>).map((e) => [e.path, e.message]),
      ).to.deep.equal([
        [
          '/nodes/1/connector',
          "no business-system connector 'library-system' is configured in this hall (configured: dormitory-system)",
        ],
        [
          '/nodes/1/connectorFields',
          'is required with a connector: the form fields the business system receives ([] for none)',
        ],
      ]);
      expect((await t.db.knex('service_versions').where({ item_id: id })).length, 'nothing stored').to.equal(0);
    });

    it('a failing system is retried with back-off, not before it is due', async () => {
      system.mode = 'fail';
      const a = await apply(t, itemId, 'student-xx', { room: '5-303' });
      expect(await poll()).to.deep.equal(['failed']);
      const [waiting] = await connectorJobs(t.db.knex, a.id);
      expect(waiting).to.include({ state: 'retry' });
      expect(waiting!.start_after.getTime() - Date.now(), 'the first back-off is 30 to 60 s').to.be.within(
        25_000,
        61_000,
      );
      expect(await poll(), 'not due yet').to.deep.equal([]);
      system.mode = 'ok';
      await makeDue(t.db.knex, a.id);
      expect(await poll()).to.deep.equal(['sent']);
      expect((await connectorJobs(t.db.knex, a.id))[0]).to.include({ state: 'completed', retry_count: 1 });
      expect((await history(a.id)).filter((h) => h.action.startsWith('connector-')).map((h) => h.action)).to.deep.equal(
        ['connector-requested', 'connector-succeeded'],
      );
    });

    it('a system that keeps failing opens the circuit, is given up on visibly after the last attempt, and the hall keeps working', async () => {
      system.mode = 'fail';
      const a = await apply(t, itemId, 'student-xx', { room: '5-304' });
      const hitsBefore = system.hits.length;
      const outcomes: string[] = [];
      for (let i = 0; i < 12 && !outcomes.includes('abandoned'); i++) {
        outcomes.push(...(await poll()));
        await makeDue(t.db.knex, a.id);
      }
      expect(outcomes).to.deep.equal([...Array(7).fill('failed'), 'abandoned']);
      expect(connectors.openBreakers()).to.deep.equal(['dormitory-system']);
      expect(system.hits.length - hitsBefore, 'the open circuit stopped calls before the 8th attempt').to.be.lessThan(
        8,
      );
      expect((await connectorJobs(t.db.knex, a.id))[0], 'failed, for hall jobs status and retry').to.include({
        state: 'failed',
      });
      const last = (await history(a.id)).at(-1)!;
      expect(last.action).to.equal('connector-failed');
      expect(String(last.detail?.error)).to.match(/gave up after 8 attempts/);
      const task = (await as(t, 'cw-handler').get(`/api/v1/applications/${a.id}`)).body.currentTasks[0].id as string;
      const done = await act(t, 'cw-handler', task, 'approve', { comment: '系统故障，已线下分配' });
      expect(done.body.activeNode).to.equal('done');
    });
  });

  describe("worked by the instances' job workers", () => {
    let t: TestApp;
    let itemId: string;
    let url: string;
    const system = new DormitorySystem();
    const workers: JobWorker[] = [];
    const children: ChildProcess[] = [];

    before(async () => {
      url = await system.start();
      t = await createTestApp(undefined, (c) => ({
        ...c,
        connectors: { 'dormitory-system': { url, timeoutMs: 20_000 } },
      }));
      itemId = (await onlineItem(t, 'CW-DORMW', dormChange)).itemId;
    });
    after(async () => {
      for (const c of children) c.kill('SIGKILL');
      for (const w of workers) await w.stop();
      await system.stop();
      await t.close();
    });

    const succeeded = async (ids: string[]) =>
      Number(
        (
          await t.db
            .knex('application_history')
            .whereIn('application_id', ids)
            .where({ action: 'connector-succeeded' })
            .count({ n: '*' })
        )[0]!.n,
      );

    it('two workers share a burst: every call is made once', async () => {
      const apps: string[] = [];
      for (let i = 0; i < 12; i++) apps.push((await apply(t, itemId, 'student-xx', { room: `6-${i}` })).id);
      for (let i = 0; i < 2; i++) {
        const w = buildJobWorker(
          t.container,
          { connectionString: t.db.url, maintenanceSeconds: 5, pollingSeconds: 0.5, batchSize: 2 },
          pino({ level: 'silent' }),
        );
        workers.push(w);
        await w.start();
      }
      await eventually(async () => (await succeeded(apps)) === apps.length, 'every call recorded', 60_000);
      const keys = system.hits.map((h) => h.key);
      expect(keys).to.have.length(apps.length);
      expect(new Set(keys).size, 'no call made twice').to.equal(apps.length);
      for (const w of workers.splice(0)) await w.stop();
    });

    it('a call in flight when its worker is killed is made again by another instance, and recorded once', async () => {
      system.hits.length = 0;
      system.mode = 'hold';
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/job-worker-process.ts'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: t.db.url,
          HOLD_MS: '0',
          CONNECTORS: JSON.stringify({ 'dormitory-system': { url, timeoutMs: 20_000 } }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`the worker exited with ${code}`)));
      });
      const a = await apply(t, itemId, 'student-xx', { room: '7-1' });
      // a short expiry, so the call of the dead worker is handed out again within the test
      await t.db
        .knex('pgboss.job')
        .where({ name: 'connector-call' })
        .whereRaw(`data->>'applicationId' = ?`, [a.id])
        .update({ expire_in: t.db.knex.raw("interval '2 seconds'") });
      await eventually(() => system.hits.length === 1, "the killed worker's call reaching the system");
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      system.mode = 'ok';

      const other = buildJobWorker(
        t.container,
        { connectionString: t.db.url, maintenanceSeconds: 1, pollingSeconds: 0.5 },
        pino({ level: 'silent' }),
      );
      workers.push(other);
      await other.start();
      await eventually(
        async () => (await connectorJobs(t.db.knex, a.id))[0]!.state === 'retry',
        "the dead worker's job expired and waiting to be retried",
        30_000,
      );
      await makeDue(t.db.knex, a.id);
      await eventually(async () => (await succeeded([a.id])) === 1, 'the call made by the other instance', 30_000);
      expect(
        system.hits.map((h) => h.key),
        'both attempts carry the same idempotency key',
      ).to.deep.equal([system.hits[0]!.key, system.hits[0]!.key]);
      const job = (await connectorJobs(t.db.knex, a.id))[0]!;
      expect(job).to.include({ state: 'completed', retry_count: 1 });
      expect(await succeeded([a.id]), 'recorded once').to.equal(1);
    });
  });
});
