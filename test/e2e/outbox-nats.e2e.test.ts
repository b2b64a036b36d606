import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { CloudEvent } from '../../src/application/ports/data-platform-sink.port.js';
import { HttpDataPlatformSink } from '../../src/adapters/driven/http-sink/http-data-platform-sink.js';
import { NatsJetStreamSink } from '../../src/adapters/driven/nats-sink/nats-jetstream-sink.js';
import { OutboxRelayRunner } from '../../src/adapters/driving/jobs/outbox-relay-runner.js';
import { eventually } from '../fixtures/eventually.js';
import { NatsServer, skipWithoutNats, stored } from '../fixtures/nats-server.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const relayTiming = { pollMs: 20, leaseRetryMs: 100, backoffMinMs: 20, backoffMaxMs: 200, cleanUpEveryMs: 3_600_000 };

/** The same events reach the HTTP platform and the broker: each sink has its own cursor, order and pace. */
describe('the outbox relay to an HTTP platform and a NATS JetStream broker at once (e2e, real peers)', function () {
  this.timeout(120_000);
  const nats = new NatsServer();
  const received: CloudEvent[][] = [];
  const http: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(raw) as CloudEvent[]);
      res.writeHead(202).end();
    });
  });
  let t: TestApp;
  let relay: OutboxRelayRunner;

  before(async function () {
    skipWithoutNats(this);
    const natsUrl = await nats.start();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/events`;
    const natsConfig = { servers: natsUrl, stream: 'HALL_EVENTS', subject: 'hall.events', timeoutMs: 2000 };
    t = await createTestApp(
      () => ({ sinks: [new HttpDataPlatformSink({ url, timeoutMs: 5000 }), new NatsJetStreamSink(natsConfig)] }),
      (c) => ({ ...c, outbox: { http: { url, timeoutMs: 5000 }, nats: natsConfig, batchSize: 10, retentionDays: 30 } }),
    );
  });
  after(async () => {
    await relay?.stop();
    await t?.close();
    await new Promise((r) => http.close(r));
    await nats.remove();
  });

  it('delivers every event to both, in order per aggregate, each once after de-duplication; a broker restart loses nothing', async () => {
    const emit = async (aggregates: string[], count: number, from = 0) => {
      for (let i = from; i < from + count; i++) {
        for (const a of aggregates) {
          await t.container.ports.uow.run((scope) =>
            scope.outbox.enqueue({
              topic: 'test.person-updated',
              aggregateType: 'person',
              aggregateId: a,
              payload: { step: i },
              at: new Date(),
            }),
          );
        }
      }
    };
    await emit(['p-1', 'p-2', 'p-3'], 8);
    relay = new OutboxRelayRunner(t.container.useCases.relayOutbox, pino({ level: 'silent' }), relayTiming);
    relay.start();
    const inBroker = async () => (await stored(nats.url, 'HALL_EVENTS')).map((m) => m.event);
    await eventually(async () => (await inBroker()).length === 24, 'all 24 events in the broker');
    // the broker goes down and comes back while more events are written
    await nats.stop();
    await emit(['p-1', 'p-2', 'p-3'], 4, 8);
    await new Promise((r) => setTimeout(r, 300));
    await nats.start();
    await eventually(async () => (await inBroker()).length === 36, 'all 36 events in the broker after its restart');
    await eventually(() => new Set(received.flat().map((e) => e.id)).size === 36, 'all 36 at the HTTP platform');

    for (const events of [await inBroker(), received.flat()]) {
      const seen = new Set<string>();
      const once = events.filter((e) => !seen.has(e.id) && !!seen.add(e.id));
      expect(once).to.have.length(36);
      for (const p of ['p-1', 'p-2', 'p-3']) {
        expect(once.filter((e) => e.subject === `person/${p}`).map((e) => e.data.step)).to.deep.equal([
          ...Array(12).keys(),
        ]);
      }
    }
    const broker = await inBroker();
    expect(new Set(broker.map((e) => e.id)).size, 'the broker holds each event once').to.equal(broker.length);
  });
});
