import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { pollConnectorCalls } from '../fixtures/connector-jobs.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { apply } from './application-helpers.js';
import { application, as, onlineItem } from './lifecycle-helpers.js';

/** A room change handed to the dormitory system at its second step. */
const roomChange = {
  form: { type: 'object', required: ['room'], properties: { room: { type: 'string' } } },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
    {
      key: 'allocate',
      kind: 'transfer',
      name: '转住宿系统',
      handlers: { type: 'people', people: ['T0302'] },
      timeLimit: { workingDays: 5 },
      connector: 'dormitory-system',
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

/**
 * A business system an item depends on goes down: the hall stays ready, /readyz names the system,
 * and the catalogue and the application's progress show the item's offline procedure until the
 * system answers again (e2e, a real HTTP peer stopped and started).
 */
describe('an item whose business system is down shows its offline procedure (e2e)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let port: number;
  let peer: Server | undefined;
  const startPeer = () =>
    new Promise<void>((resolve) => {
      peer = createServer((_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"reference":"D-1"}'),
      );
      peer.listen(port, '127.0.0.1', () => resolve());
    });

  before(async () => {
    // a port of our own, closed until the system "comes back"
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    t = await createTestApp(undefined, (c) => ({
      ...c,
      connectors: { 'dormitory-system': { url: `http://127.0.0.1:${port}/cases`, timeoutMs: 1000 } },
    }));
  });
  after(async () => {
    await t.close();
    await new Promise((r) => (peer ? peer.close(r) : r(null)));
  });

  const entry = async () =>
    (
      (await as(t, 'student-xx').get('/api/v1/catalogue')).body.items as Array<{
        code: string;
        offlineProcedure: string;
        degraded: unknown;
      }>
    ).find((i) => i.code === 'CW-ROOM')!;
  const dependencies = async () => (await request(t.app).get('/readyz')).body;

  it('degraded while the system is down, with why and the offline procedure; back to normal once it answers', async () => {
    const { itemId } = await onlineItem(t, 'CW-ROOM', roomChange);
    expect((await entry()).degraded, 'the system has not failed yet').to.equal(null);
    // the offline procedure is shown always (Art. 4(3)4, 13), not only while something is down
    expect((await entry()).offlineProcedure).to.equal(application.offlineProcedure);
    const a = await apply(t, itemId, 'student-xx', { room: '5-302' });
    expect((await as(t, 'student-xx').get(`/api/v1/applications/${a.id}`)).body.offlineProcedure).to.equal(
      application.offlineProcedure,
    );
    expect(await pollConnectorCalls(t.db.knex, t.container)).to.deep.equal(['failed']);

    const degraded = {
      reasons: ["the business system 'dormitory-system' is unavailable"],
      offlineProcedure: application.offlineProcedure,
    };
    expect((await entry()).degraded).to.deep.equal(degraded);
    const progress = await as(t, 'student-xx').get(`/api/v1/applications/${a.id}`);
    expect(progress.body.degraded).to.deep.equal(degraded);
    const ready = await dependencies();
    expect(ready.status, 'a system down does not make the hall unready').to.equal('ready');
    expect(ready.dependencies).to.deep.equal([
      { name: 'database', status: 'up' },
      { name: 'connector:dormitory-system', status: 'down' },
    ]);

    await startPeer();
    await t.db.knex.raw(`UPDATE pgboss.job SET start_after = now() WHERE name = 'connector-call' AND state = 'retry'`);
    expect(await pollConnectorCalls(t.db.knex, t.container)).to.deep.equal(['sent']);
    expect((await entry()).degraded).to.equal(null);
    expect((await as(t, 'student-xx').get(`/api/v1/applications/${a.id}`)).body.degraded).to.equal(null);
    expect((await dependencies()).dependencies[1]).to.deep.equal({ name: 'connector:dormitory-system', status: 'up' });
  });
});
