import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpBusinessConnectors } from '../../src/adapters/driven/http-connector/http-business-connectors.js';
import type { DispatchConnectorRequestsUseCase } from '../../src/application/applications/dispatch-connector-requests/dispatch-connector-requests.use-case.js';
import { MovableClock } from '../fixtures/movable-clock.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, type ProgressBody } from './application-helpers.js';


/** A department's business system, played by a real HTTP server the test controls. */
class DormitorySystem {
  mode: 'ok' | 'fail' = 'ok';
  hits: Array<{ key: string | undefined; body: { caseNumber: string; node: string } }> = [];
  private server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString(); });
    req.on('end', () => {
      this.hits.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw) });
      if (this.mode === 'fail') { res.writeHead(503).end('maintenance'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ reference: `DORM-${this.hits.length}` }));
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cases`;
  }
  async stop(): Promise<void> { await new Promise((r) => this.server.close(r)); }
}

const dormChange = {
  form: { type: 'object', required: ['room'], properties: { room: { type: 'string' } } },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    { key: 'allocate', kind: 'transfer', name: '转住宿系统', handlers: { type: 'people', people: ['T0302'] }, timeLimit: { workingDays: 5 }, connector: 'dormitory-system' },
    { key: 'done', kind: 'complete', name: '办结', handlers: { type: 'people', people: ['T0302'] }, timeLimit: { workingDays: 1 } },
  ],
};

describe('business-system connectors (e2e, real HTTP peer)', () => {
  let t: TestApp;
  let itemId: string;
  let dispatcher: DispatchConnectorRequestsUseCase;
  let connectors: HttpBusinessConnectors;
  const system = new DormitorySystem();
  const clock = new MovableClock();

  before(async () => {
    const url = await system.start();
    connectors = new HttpBusinessConnectors({ 'dormitory-system': { url, timeoutMs: 2000 } }, { resetTimeoutMs: 60_000, volumeThreshold: 4 });
    t = await createTestApp(() => ({ clock, connectors }));
    itemId = (await onlineItem(t, 'CW-DORM', dormChange)).itemId;
    dispatcher = t.container.useCases.dispatchConnectorRequests;
  });
  after(async () => { await t.close(); await system.stop(); });

  const history = async (id: string) => ((await as(t, 'student-xx').get(`/api/v1/applications/${id}`)).body as ProgressBody).history;
  const status = async (id: string) => (await t.db.knex('connector_requests').where({ application_id: id }).first()) as { status: string; attempts: number; last_error: string | null };

  it('reaching a transfer node queues the call; the dispatcher sends it once and the history shows the reference', async () => {
    const a = await apply(t, itemId, 'student-xx', { room: '5-302' });
    expect(system.hits, 'nothing is sent inside the user\'s request').to.have.length(0);
    expect(a.currentTasks[0]).to.include({ node: 'allocate', assignee: 'T0302' });
    const [one, two] = await Promise.all([dispatcher.runOnce(), dispatcher.runOnce()]);
    expect(one.sent + two.sent).to.equal(1);
    expect(system.hits).to.have.length(1);
    expect(system.hits[0]!.body).to.include({ caseNumber: a.caseNumber, node: 'allocate' });
    expect(system.hits[0]!.key).to.match(/^[0-9a-f-]{36}$/);
    expect((await history(a.id)).at(-1)).to.deep.include({ action: 'connector-succeeded', detail: { connector: 'dormitory-system', reference: 'DORM-1' } });
    expect((await status(a.id)).status).to.equal('succeeded');
  });

  it('a failing system is retried with back-off, not before it is due', async () => {
    system.mode = 'fail';
    const a = await apply(t, itemId, 'student-xx', { room: '5-303' });
    expect((await dispatcher.runOnce()).failed).to.equal(1);
    expect(await status(a.id)).to.include({ status: 'pending', attempts: 1 });
    expect((await dispatcher.runOnce()).failed, 'not due yet').to.equal(0);
    system.mode = 'ok';
    clock.advanceSeconds(31);
    expect((await dispatcher.runOnce()).sent).to.equal(1);
    expect(await status(a.id)).to.include({ status: 'succeeded', attempts: 2 });
  });

  it('a system that keeps failing opens the circuit, is given up on visibly, and the hall keeps working', async () => {
    system.mode = 'fail';
    const a = await apply(t, itemId, 'student-xx', { room: '5-304' });
    const hitsBefore = system.hits.length;
    let abandoned = 0;
    for (let i = 0; i < 12 && !abandoned; i++) {
      abandoned = (await dispatcher.runOnce()).abandoned;
      clock.advanceSeconds(3600);
    }
    expect(abandoned).to.equal(1);
    expect(connectors.openCircuits()).to.deep.equal(['dormitory-system']);
    expect(system.hits.length - hitsBefore, 'the open circuit stopped calls before the 8th attempt').to.be.lessThan(8);
    t.forgetLogins(); // the clock moved past the sessions' lifetime
    const last = (await history(a.id)).at(-1)!;
    expect(last.action).to.equal('connector-failed');
    expect(String(last.detail?.error)).to.match(/gave up after 8 attempts/);
    const task = (await as(t, 'cw-handler').get(`/api/v1/applications/${a.id}`)).body.currentTasks[0].id as string;
    const done = await act(t, 'cw-handler', task, 'approve', { comment: '系统故障，已线下分配' });
    expect(done.body.activeNode).to.equal('done');
  });
});
