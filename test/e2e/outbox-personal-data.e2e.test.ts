import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { CloudEvent } from '../../src/application/ports/data-platform-sink.port.js';
import { OutboxRelayRunner } from '../../src/adapters/driving/jobs/outbox-relay-runner.js';
import { loadConfig } from '../../src/config.js';
import { eventually } from '../fixtures/eventually.js';
import { NatsServer, skipWithoutNats, stored } from '../fixtures/nats-server.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { act, apply, taskOf } from './application-helpers.js';
import { onlineItem } from './lifecycle-helpers.js';

const relayTiming = { pollMs: 20, leaseRetryMs: 100, backoffMinMs: 20, backoffMaxMs: 200, cleanUpEveryMs: 3_600_000 };

/** A grant: the amount and purpose are what the data platform counts; the bank account and phone are the applicant's. */
const grant = {
  form: {
    type: 'object',
    required: ['amount', 'purpose', 'bank_account'],
    properties: {
      amount: { type: 'number', minimum: 1 },
      purpose: { type: 'string' },
      bank_account: { type: 'string', 'x-sensitive': true },
      contacts: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, phone: { type: 'string', 'x-sensitive': true } },
        },
      },
    },
  },
  nodes: [
    { key: 'apply', kind: 'start', name: '申请' },
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
 * What a service produced reaches the data platform (application.completed, with its final form),
 * and the fields the form schema marks personal reach each sink as that sink is configured: masked
 * at the HTTP platform (DATA_PLATFORM_PERSONAL_DATA=mask), left out at the broker (the default).
 */
describe('personal form fields to the data platform, per sink (e2e, real HTTP peer and NATS broker)', function () {
  this.timeout(120_000);
  const nats = new NatsServer();
  const received: CloudEvent[] = [];
  const http: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      received.push(...(JSON.parse(raw) as CloudEvent[]));
      res.writeHead(202).end();
    });
  });
  let t: TestApp;
  let relay: OutboxRelayRunner | undefined;

  before(async function () {
    skipWithoutNats(this);
    const natsUrl = await nats.start();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/events`;
    // the sinks as the environment configures them
    const { outbox } = loadConfig({
      DATA_PLATFORM_URL: url,
      DATA_PLATFORM_PERSONAL_DATA: 'mask',
      DATA_PLATFORM_NATS_URL: natsUrl,
    });
    expect(outbox.http!.personalData).to.equal('mask');
    expect(outbox.nats!.personalData, 'left out unless configured').to.equal('omit');
    t = await createTestApp(undefined, (c) => ({ ...c, outbox }));
  });
  after(async () => {
    await relay?.stop();
    await t?.close();
    await new Promise((r) => http.close(r));
    await nats.remove();
  });

  it('a completed application reaches the HTTP platform with its personal fields masked and the broker without them', async () => {
    const { itemId } = await onlineItem(t, 'CW-GRANT', grant);
    const form = {
      amount: 3000,
      purpose: '学术会议差旅资助',
      bank_account: '6222020200113445',
      contacts: [{ name: '李老师', phone: '13812345678' }],
    };
    const a = await apply(t, itemId, 'student-xx', form);
    const done = await act(t, 'cw-handler', taskOf(a, 'T0302'), 'approve', { comment: '同意' });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect(done.body.state).to.equal('completed');

    relay = new OutboxRelayRunner(t.container.useCases.relayOutbox, pino({ level: 'silent' }), relayTiming);
    relay.start();
    const completed = (events: CloudEvent[]) => events.find((e) => e.type === 'cn.edu.hall.application.completed');
    await eventually(() => !!completed(received), 'application.completed at the HTTP platform');
    const inBroker = async () => (await stored(nats.url, 'HALL_EVENTS')).map((m) => m.event);
    await eventually(async () => !!completed(await inBroker()), 'application.completed in the broker');

    const common = { caseNumber: a.caseNumber, personalFields: ['/bank_account', '/contacts/*/phone'] };
    expect(completed(received)!.subject).to.equal(`application/${a.id}`);
    expect(completed(received)!.data).to.deep.include({
      ...common,
      form: {
        amount: 3000,
        purpose: '学术会议差旅资助',
        bank_account: '6222********3445',
        contacts: [{ name: '李老师', phone: '13*******78' }],
      },
    });
    expect(completed(await inBroker())!.data).to.deep.include({
      ...common,
      form: { amount: 3000, purpose: '学术会议差旅资助', contacts: [{ name: '李老师' }] },
    });
    for (const events of [received, await inBroker()]) {
      expect(JSON.stringify(events)).not.to.contain('6222020200113445').and.not.to.contain('13812345678');
    }
  });
});
