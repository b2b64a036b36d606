import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { CloudEvent } from '../../src/application/ports/data-platform-sink.port.js';
import { HttpDataPlatformSink } from '../../src/adapters/driven/http-sink/http-data-platform-sink.js';
import { OutboxRelayRunner } from '../../src/adapters/driving/jobs/outbox-relay-runner.js';
import { buildContainer, disposeContainer } from '../../src/adapters/composition/container.js';
import { eventually } from '../fixtures/eventually.js';
import { createTestApp, testConfig, type TestApp } from '../fixtures/test-app.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'platform-token';

/** The public data platform, played by a real HTTP server the test controls. */
class DataPlatform {
  /** 'hold': the request is recorded and left unanswered (a batch in flight); 'down': 503. */
  mode: 'ok' | 'down' | 'hold' = 'ok';
  /** Events it refuses (400 for a batch holding one). */
  refuse = new Set<string>();
  delayMs = 0;
  batches: CloudEvent[][] = [];
  contentTypes = new Set<string>();
  authorizations = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;
  private held: ServerResponse[] = [];
  private server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const answer = (status: number, body = '') => {
        this.inFlight--;
        res.writeHead(status).end(body);
      };
      if (this.mode === 'down') return answer(503, 'maintenance');
      const events = JSON.parse(raw) as CloudEvent[];
      this.contentTypes.add(String(req.headers['content-type']));
      this.authorizations.add(String(req.headers.authorization));
      if (this.mode === 'hold') {
        this.batches.push(events);
        this.held.push(res);
        return;
      }
      const bad = events.find((e) => this.refuse.has(e.id));
      if (bad) return answer(400, `event ${bad.id} does not fit the schema`);
      this.batches.push(events);
      setTimeout(() => answer(202), this.delayMs);
    });
  });
  private port = 0;
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}/events`;
  }
  /** Stops listening (connections refused) until started again on the same port. */
  async pause(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
  /** Drops the held requests (their relay is dead). */
  dropHeld(): void {
    for (const r of this.held) r.destroy();
    this.inFlight -= this.held.length;
    this.held = [];
  }
  /** Every event received, first arrival only (what a receiver de-duplicating on id keeps). */
  deduplicated(): CloudEvent[] {
    const seen = new Set<string>();
    return this.batches.flat().filter((e) => !seen.has(e.id) && !!seen.add(e.id));
  }
  received(): number {
    return this.batches.flat().length;
  }
  async stop(): Promise<void> {
    this.dropHeld();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** Events per subject, in the order the platform first received them, must follow their sequence. */
function expectOrderPerAggregate(events: CloudEvent[]): void {
  const last = new Map<string, number>();
  for (const e of events) {
    const seq = Number(e.sequence);
    expect(seq, `${e.subject}: ${e.id} after ${last.get(e.subject)}`).to.be.greaterThan(last.get(e.subject) ?? 0);
    last.set(e.subject, seq);
  }
}

const relayTiming = { pollMs: 20, leaseRetryMs: 100, backoffMinMs: 20, backoffMaxMs: 200, cleanUpEveryMs: 3_600_000 };

describe('the outbox relay to the data platform (e2e, real HTTP peer)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let url: string;
  const platform = new DataPlatform();
  const runners: OutboxRelayRunner[] = [];
  const children: ChildProcess[] = [];
  let n = 0;
  /** The hall's clock runs this far ahead of the real one (a test moves it). */
  const skew = { ms: 0 };

  /** `count` events for each of `aggregates` (person/<name>), interleaved, each its own transaction. */
  async function emit(aggregates: string[], count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      for (const a of aggregates) {
        await t.container.ports.uow.run((scope) =>
          scope.outbox.enqueue({
            topic: 'test.person-updated',
            aggregateType: 'person',
            aggregateId: a,
            payload: { step: i, n: ++n },
            at: new Date(),
          }),
        );
      }
    }
    const rows = await t.db.knex('outbox').whereIn('aggregate_id', aggregates).select('id');
    ids.push(...rows.map((r: { id: string }) => r.id));
    return ids;
  }

  function runner(): OutboxRelayRunner {
    const r = new OutboxRelayRunner(t.container.useCases.relayOutbox, pino({ level: 'silent' }), relayTiming);
    runners.push(r);
    r.start();
    return r;
  }

  const allArrived = (ids: string[]) => {
    const got = new Set(platform.batches.flat().map((e) => e.id));
    return ids.every((id) => got.has(id));
  };

  before(async () => {
    url = await platform.start();
    t = await createTestApp(
      () => ({
        clock: { now: () => new Date(Date.now() + skew.ms) },
        sinks: [new HttpDataPlatformSink({ url, token: TOKEN, timeoutMs: 60_000 }, { resetTimeoutMs: 200 })],
      }),
      (c) => ({ ...c, outbox: { http: { url, timeoutMs: 60_000 }, batchSize: 10, retentionDays: 30 } }),
    );
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const r of runners.splice(0)) await r.stop();
    platform.mode = 'ok';
    platform.delayMs = 0;
    skew.ms = 0;
  });
  after(async () => {
    await platform.stop();
    await t.close();
  });

  it('delivers every event as a CloudEvent in batch mode, in order per aggregate, once after de-duplication', async () => {
    const ids = await emit(['p-a1', 'p-a2', 'p-a3'], 15);
    runner();
    await eventually(() => allArrived(ids), 'all 45 events at the platform');
    const got = platform.deduplicated().filter((e) => ids.includes(e.id));
    expect(got).to.have.length(45);
    expectOrderPerAggregate(got);
    expect(platform.contentTypes).to.deep.equal(new Set(['application/cloudevents-batch+json; charset=utf-8']));
    expect(platform.authorizations).to.deep.equal(new Set([`Bearer ${TOKEN}`]));
    expect(Math.max(...platform.batches.map((b) => b.length))).to.be.at.most(10);
    const e = got.find((x) => x.subject === 'person/p-a1')!;
    expect(e).to.include({
      specversion: '1.0',
      source: 'urn:service-hall:hall.campus.test',
      type: 'cn.edu.hall.test.person-updated',
      datacontenttype: 'application/json',
    });
    expect(e.data).to.have.property('step', 0);
    await eventually(
      async () =>
        (await t.container.ports.metrics.exposition()).body.includes(
          'hall_outbox_backlog{sink="data-platform",state="backlog"} 0',
        ),
      'the backlog metric down to 0',
    );
    const { body } = await t.container.ports.metrics.exposition();
    expect(body).to.match(/hall_outbox_delivered_total\{sink="data-platform"\} (\d+)/);
    expect(Number(/hall_outbox_delivered_total\{sink="data-platform"\} (\d+)/.exec(body)![1])).to.be.at.least(45);
  });

  it('never passes over an event whose transaction commits after a later one (seq gap)', async () => {
    runner();
    // a transaction takes its seq first and commits last
    const trx = await t.db.knex.transaction();
    const [{ id: late }] = await trx('outbox')
      .insert({
        id: globalThis.crypto.randomUUID(),
        topic: 'test.person-updated',
        aggregate_type: 'person',
        aggregate_id: 'p-gap-1',
        payload: { late: true },
        occurred_at: new Date(),
      })
      .returning('id');
    const early = await emit(['p-gap-2'], 3);
    await eventually(() => allArrived(early), 'the events committed first');
    await trx.commit();
    await eventually(() => allArrived([late as string]), 'the event whose seq came first, committed last');
  });

  it('a platform down for a while gets everything afterwards, in order, with nothing parked', async () => {
    platform.mode = 'down';
    runner();
    const ids = await emit(['p-d1', 'p-d2'], 12);
    const status = () => t.container.ports.outboxRelay.figures(['data-platform'], new Date());
    await eventually(async () => (await status())[0]!.lastError !== null, 'the failure noted');
    expect((await status())[0]!.backlog).to.be.greaterThan(0);
    platform.mode = 'ok';
    await eventually(() => allArrived(ids), 'the backlog drained', 30_000);
    expectOrderPerAggregate(platform.deduplicated().filter((e) => ids.includes(e.id)));
    const [figures] = await status();
    expect(figures).to.include({ parked: 0, lastError: null });
    await eventually(async () => (await status())[0]!.backlog === 0, 'no backlog left');
  });

  it('a platform stopped for an hour (a moved clock) shows the backlog and the lag, then drains in order', async () => {
    await eventually(
      async () => (await t.container.ports.outboxRelay.figures([], new Date()))[0]!.backlog === 0,
      'idle',
    );
    await platform.pause();
    runner();
    const ids = await emit(['p-h1', 'p-h2'], 10);
    const it_ = { personId: 'T0002', requestId: 'status' };
    const status = async () => {
      const r = await t.container.useCases.outbox.status(it_);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.sinks.find((x) => x.sink === 'data-platform')!;
    };
    await eventually(async () => (await status()).lastError !== null, 'the failure noted');
    skew.ms = 60 * 60 * 1000;
    const down = await status();
    expect(down.backlog).to.equal(20);
    expect(down.lagSeconds).to.be.within(3600, 3660);
    expect(down.lastError).to.match(/fetch failed|ECONNREFUSED|Breaker is open/);
    await platform.start();
    await eventually(() => allArrived(ids), 'the backlog drained', 30_000);
    expectOrderPerAggregate(platform.deduplicated().filter((e) => ids.includes(e.id)));
    await eventually(async () => (await status()).backlog === 0, 'no backlog left');
    expect(await status()).to.include({ lagSeconds: 0, parked: 0, lastError: null });
  });

  it('two instances on the same database: one relays, never both at once; the other takes over when it stops', async () => {
    platform.maxInFlight = 0;
    platform.delayMs = 30;
    // instance B: a container of its own on the same database, its deliveries counted
    let sentByB = 0;
    const sinkB = new HttpDataPlatformSink({ url, timeoutMs: 60_000 }, { resetTimeoutMs: 200 });
    const b = await buildContainer(
      { ...testConfig(t.db.url), outbox: { http: { url, timeoutMs: 60_000 }, batchSize: 10, retentionDays: 30 } },
      () => ({
        sinks: [
          {
            name: sinkB.name,
            deliver: (events) => {
              sentByB++;
              return sinkB.deliver(events);
            },
          },
        ],
      }),
      pino({ level: 'silent' }),
    );
    try {
      const a = runner();
      const first = await emit(['p-t1', 'p-t2', 'p-t3'], 5);
      await eventually(() => allArrived(first), 'instance A relaying');
      const relayB = new OutboxRelayRunner(b.useCases.relayOutbox, pino({ level: 'silent' }), relayTiming);
      runners.push(relayB);
      relayB.start();
      const second = await emit(['p-t1', 'p-t2', 'p-t3'], 5);
      await eventually(() => allArrived(second), 'more delivered');
      expect(sentByB, 'B waits while A holds the lease').to.equal(0);
      await a.stop();
      const third = await emit(['p-t1', 'p-t2', 'p-t3'], 5);
      await eventually(() => allArrived(third), 'the rest delivered by instance B', 30_000);
      expect(sentByB, 'B took over').to.be.greaterThan(0);
      expect(platform.maxInFlight, 'requests in flight at once').to.equal(1);
      const all = [...first, ...second, ...third];
      expectOrderPerAggregate(platform.deduplicated().filter((e) => all.includes(e.id)));
    } finally {
      for (const r of runners.splice(0)) await r.stop();
      sinkB.shutdown();
      await disposeContainer(b);
    }
  });

  it('a relay process killed while the platform holds its batch loses nothing: another instance sends it again', async () => {
    await eventually(
      async () => (await t.container.ports.outboxRelay.figures([], new Date()))[0]!.backlog === 0,
      'idle',
    );
    const ids = await emit(['p-k1', 'p-k2'], 10);
    platform.mode = 'hold';
    const heldBefore = platform.batches.length;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/outbox-relay-process.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.db.url, DATA_PLATFORM_URL: url, BATCH_SIZE: '10' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await eventually(() => platform.batches.length > heldBefore, 'a batch held at the platform', 30_000);
    const held = platform.batches.at(-1)!.map((e) => e.id);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    platform.dropHeld();
    platform.mode = 'ok';
    runner();
    await eventually(() => allArrived(ids), 'every event delivered after the kill', 30_000);
    const after = platform.batches
      .slice(heldBefore + 1)
      .flat()
      .map((e) => e.id);
    expect(
      held.every((id) => after.includes(id)),
      'the held batch sent again',
    ).to.equal(true);
    expectOrderPerAggregate(platform.deduplicated().filter((e) => ids.includes(e.id)));
  });

  it('an event the platform refuses is parked with its reason, holds back its aggregate only, and goes when retried', async () => {
    const ids = await emit(['p-x1', 'p-x2'], 4);
    const rows = await t.db.knex('outbox').whereIn('id', ids).orderBy('seq').select('id', 'aggregate_id');
    const poison = rows.filter((r: { aggregate_id: string }) => r.aggregate_id === 'p-x1')[1]!.id as string;
    platform.refuse.add(poison);
    runner();
    const others = rows
      .filter((r: { aggregate_id: string }) => r.aggregate_id === 'p-x2')
      .map((r: { id: string }) => r.id);
    await eventually(() => allArrived(others), 'the other aggregate delivered');
    await eventually(
      async () => (await t.container.ports.outboxRelay.parked('data-platform')).length === 3,
      'the refused event and the two after it parked',
    );
    const parked = await t.container.ports.outboxRelay.parked('data-platform');
    expect(parked[0]!.id).to.equal(poison);
    expect(parked[0]!.reason).to.match(/answered 400: event .* does not fit the schema/);
    expect(parked[1]!.reason).to.match(/waiting behind a parked event of person\/p-x1/);
    platform.refuse.clear();
    await t.container.ports.uow.run(async (scope) => {
      await scope.outboxSinks.requestRetry('data-platform', new Date());
    });
    await eventually(() => allArrived(ids), 'the parked events delivered after the retry');
    await eventually(
      async () => (await t.container.ports.outboxRelay.parked('data-platform')).length === 0,
      'nothing parked any more',
    );
    const audited = await t.db
      .knex('audit_log')
      .where({ action: 'outbox.event-parked' })
      .select('entity_id', 'actor_id');
    expect(audited, 'the refused event parked, audited').to.deep.equal([{ entity_id: poison, actor_id: 'system' }]);
    expectOrderPerAggregate(platform.deduplicated().filter((e) => ids.includes(e.id)));
  });

  it('replay sends a sink its history since a time again; the rows every sink has are deleted after the retention', async () => {
    runner();
    const old = await emit(['p-r1'], 3);
    await eventually(() => allArrived(old), 'the first events delivered');
    const since = new Date();
    const recent = await emit(['p-r2'], 3);
    await eventually(() => allArrived(recent), 'the later events delivered');
    const received = platform.received();
    const actor = { personId: 'T0002', requestId: 'cli-replay' };
    const replayed = await t.container.useCases.outbox.replay(actor, {
      sink: 'data-platform',
      since: since.toISOString(),
    });
    expect(replayed.ok && replayed.value.events).to.be.at.least(3);
    await eventually(
      () => recent.every((id) => platform.batches.flat().filter((e) => e.id === id).length === 2),
      'the events since then sent again',
    );
    const again = platform.batches
      .flat()
      .slice(received)
      .map((e) => e.id);
    expect(
      old.some((id) => again.includes(id)),
      'nothing from before `since`',
    ).to.equal(false);
    const audit = await t.db.knex('audit_log').where({ action: 'outbox.replayed' }).select('entity_id', 'actor_id');
    expect(audit).to.deep.equal([{ entity_id: 'data-platform', actor_id: 'T0002' }]);

    // every row is old enough now: what the sink has goes, a row it has not had yet stays
    platform.mode = 'down';
    const undelivered = await emit(['p-r3'], 1);
    await t.db.knex('outbox').update({ occurred_at: new Date('2020-01-01T00:00:00Z') });
    let deleted = 0;
    await eventually(async () => {
      deleted += await t.container.useCases.relayOutbox.cleanUp();
      const left = (await t.db.knex('outbox').select('id')).map((r: { id: string }) => r.id);
      return left.length === 1 && left[0] === undelivered[0];
    }, 'every delivered row deleted, the undelivered one kept');
    expect(deleted).to.be.greaterThan(0);
  });
});
