import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { CloudEvent } from '../../src/application/ports/data-platform-sink.port.js';
import { OutboxRelayRunner } from '../../src/adapters/driving/jobs/outbox-relay-runner.js';
import { eventually } from '../fixtures/eventually.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const relayTiming = { pollMs: 20, leaseRetryMs: 100, backoffMinMs: 20, backoffMaxMs: 200, cleanUpEveryMs: 3_600_000 };

/** A department's sink plugin (built only on the SDK) as one of the outbox relay's sinks. */
describe("a plugin's data-platform sink fed by the outbox relay (e2e, real HTTP receiver)", function () {
  this.timeout(120_000);
  let t: TestApp;
  let dir: string;
  let relay: OutboxRelayRunner | undefined;
  /** 'half': acknowledges only the first event of a batch (the rest is sent again). */
  let mode: 'all' | 'half' = 'half';
  const got: CloudEvent[] = [];
  let requests = 0;
  const receiver: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const batch = JSON.parse(raw) as CloudEvent[];
      requests++;
      const taken = mode === 'all' ? batch : batch.slice(0, 1);
      got.push(...taken);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ taken: taken.map((e) => e.id) }));
    });
  });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hall-sink-'));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const file = path.join(dir, 'hall.json');
    await writeFile(
      file,
      JSON.stringify({
        plugins: {
          'forwarding-sink': {
            module: './test/fixtures/plugins/forwarding-sink.ts',
            config: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events` },
          },
        },
      }),
    );
    t = await createTestApp(undefined, (c) => ({ ...c, hallConfigFile: file }));
  });
  after(async () => {
    await relay?.stop();
    await t?.close();
    await new Promise((r) => receiver.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('receives every event, in order per aggregate; a partial acknowledgement is sent again until all are taken', async () => {
    expect(t.container.ports.sinks.map((s) => s.name)).to.deep.equal(['forwarding-sink']);
    for (let i = 0; i < 6; i++) {
      for (const a of ['p-1', 'p-2']) {
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
    relay = new OutboxRelayRunner(t.container.useCases.relayOutbox, pino({ level: 'silent' }), relayTiming);
    relay.start();
    // a partial acknowledgement is no acknowledgement of the batch: it comes again, in order
    await eventually(() => requests >= 3, 'the batch sent again');
    expect(new Set(got.map((e) => e.id)).size, 'the same first event each time').to.equal(1);
    mode = 'all';
    await eventually(() => new Set(got.map((e) => e.id)).size === 12, 'all 12 events taken');
    const seen = new Set<string>();
    const once = got.filter((e) => !seen.has(e.id) && !!seen.add(e.id));
    for (const a of ['p-1', 'p-2']) {
      expect(once.filter((e) => e.subject === `person/${a}`).map((e) => e.data.step)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    }
  });
});
