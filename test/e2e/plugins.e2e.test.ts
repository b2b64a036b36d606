import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildContainer } from '../../src/adapters/composition/container.js';
import { connectorJobs, makeDue, pollConnectorCalls } from '../fixtures/connector-jobs.js';
import { createTestApp, testConfig, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { apply, type ProgressBody } from './application-helpers.js';

/** The dormitory system of the template plugin's API, as a real HTTP server: answers, or holds every request. */
class DormitorySystem {
  mode: 'ok' | 'hang' | 'refuse' = 'ok';
  readonly hits: Array<{
    path: string;
    auth: string | undefined;
    key: string | undefined;
    body: Record<string, unknown>;
  }> = [];
  private readonly held: ServerResponse[] = [];
  private readonly server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      this.hits.push({
        path: req.url!,
        auth: req.headers.authorization,
        key: req.headers['idempotency-key'] as string,
        body: JSON.parse(raw),
      });
      if (this.mode === 'hang') return void this.held.push(res);
      if (this.mode === 'refuse')
        return void res
          .writeHead(422, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'no such building' }));
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ reference: `DORM-${this.hits.length}` }));
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
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
      connector: 'example-dormitory',
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

/** A department plugin built only on the SDK (the template), loaded from the hall's configuration file. */
describe('plugins: the template business connector, loaded from HALL_CONFIG (e2e, real HTTP peer)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let dir: string;
  let itemId: string;
  const system = new DormitorySystem();
  const configFile = (plugin: Record<string, unknown>) => {
    const file = path.join(dir, `hall-${globalThis.crypto.randomUUID()}.json`);
    return writeFile(file, JSON.stringify({ plugins: { 'example-dormitory': plugin } })).then(() => file);
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-plugins-'));
    const url = await system.start();
    process.env.HALL_TEST_DORM_TOKEN = 'dorm-secret-token';
    const file = await configFile({
      module: '@service-hall/plugin-example-dormitory',
      config: { url, timeoutMs: 1000 },
      secrets: { token: { env: 'HALL_TEST_DORM_TOKEN' } },
    });
    t = await createTestApp(undefined, (c) => ({ ...c, hallConfigFile: file }));
    itemId = (await onlineItem(t, 'HQ-PLUG', dormChange)).itemId;
  });
  after(async () => {
    delete process.env.HALL_TEST_DORM_TOKEN;
    await t?.close();
    await system.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const history = async (id: string) =>
    ((await as(t, 'student-xx').get(`/api/v1/applications/${id}`)).body as ProgressBody).history;

  it('is called by a transfer node with only the declared fields, its secret and the idempotency key; the history shows the reference', async () => {
    const a = await apply(t, itemId, 'student-xx', { room: '5-302', bank_account: '6222020200112233445' });
    expect(await pollConnectorCalls(t.db.knex, t.container)).to.deep.equal(['sent']);
    expect(system.hits).to.have.length(1);
    const [hit] = system.hits;
    const [job] = await connectorJobs(t.db.knex, a.id);
    expect(hit).to.deep.include({ path: '/api/v1/allocations', auth: 'Bearer dorm-secret-token', key: job!.id });
    expect(hit!.body).to.deep.include({ caseNumber: a.caseNumber, node: 'allocate', fields: { room: '5-302' } });
    expect(JSON.stringify(hit!.body)).not.to.contain('6222020200112233445');
    expect((await history(a.id)).at(-1)).to.deep.include({
      action: 'connector-succeeded',
      detail: { connector: 'example-dormitory', reference: 'DORM-1' },
    });
  });

  it('a call that hangs is cut off by its timeout and tried again later; the hall keeps serving meanwhile', async () => {
    system.mode = 'hang';
    const a = await apply(t, itemId, 'student-xx', { room: '5-303' });
    const started = Date.now();
    const polled = pollConnectorCalls(t.db.knex, t.container);
    expect(
      (await as(t, 'student-xx').get(`/api/v1/applications/${a.id}`)).status,
      'served while the plugin hangs',
    ).to.equal(200);
    expect(await polled).to.deep.equal(['failed']);
    expect(Date.now() - started, 'cut off near its 1 s timeout, long before the peer answers').to.be.below(10_000);
    const ready = await as(t, 'student-xx').get('/readyz');
    expect([ready.status, ready.body.plugins[0]], 'the plugin says it is down; the hall stays ready').to.deep.equal([
      200,
      { plugin: 'example-dormitory', status: 'down', detail: ready.body.plugins[0]?.detail },
    ]);
    expect(ready.body.plugins[0].detail).to.contain('/api/v1/allocations');
    const metrics = (await t.container.ports.metrics.exposition()).body;
    expect(metrics).to.contain('hall_plugin_health{plugin="example-dormitory",status="down"} 1');
    expect(metrics).to.contain('hall_plugin_health{plugin="example-dormitory",status="ok"} 0');
    expect((await connectorJobs(t.db.knex, a.id))[0]).to.include({ state: 'retry' });
    system.mode = 'ok';
    await makeDue(t.db.knex, a.id);
    expect(await pollConnectorCalls(t.db.knex, t.container)).to.deep.equal(['sent']);
  });

  it('a refusal for good is recorded at once and not retried', async () => {
    system.mode = 'refuse';
    const a = await apply(t, itemId, 'student-xx', { room: '9-999' });
    expect(await pollConnectorCalls(t.db.knex, t.container)).to.deep.equal(['abandoned']);
    expect((await history(a.id)).at(-1)).to.deep.include({ action: 'connector-failed' });
    expect(String((await history(a.id)).at(-1)!.detail!.error)).to.contain('no such building');
    expect((await connectorJobs(t.db.knex, a.id))[0]).to.include({ state: 'completed' });
    system.mode = 'ok';
  });

  it('bad plugin configuration stops the start with one line naming the plugin and the key', async () => {
    const file = await configFile({
      module: '@service-hall/plugin-example-dormitory',
      config: { url: 'not a url' },
      secrets: {},
    });
    const error = await buildContainer({ ...testConfig(t.db.url), hallConfigFile: file }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/^plugin example-dormitory: config\.url: .+; secrets\.token: /);
    expect(error?.message).not.to.contain('\n');
  });

  it('as a real process: `npm start`-style start exits 1 with that line', async () => {
    const file = await configFile({ module: '@service-hall/plugin-example-dormitory', config: { url: 'not a url' } });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: t.db.url,
        SESSION_SECRET: 'plugin-test-secret-plugin-test-secret-01',
        HALL_CONFIG: file,
        PORT: '0',
        LOG_LEVEL: 'silent',
        MIGRATE_ON_START: '0',
        SEED_DEMO: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).to.equal(1);
    expect(stderr).to.match(/plugin example-dormitory: config\.url: /);
  });
});
