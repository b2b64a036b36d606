import { expect } from 'chai';
import type { CloudEvent } from '../../src/application/ports/data-platform-sink.port.js';
import { NatsJetStreamSink } from '../../src/adapters/driven/nats-sink/nats-jetstream-sink.js';
import { NatsServer, skipWithoutNats, stored } from '../fixtures/nats-server.js';

let seq = 0;
const event = (subject: string, n: number): CloudEvent => ({
  specversion: '1.0',
  id: globalThis.crypto.randomUUID(),
  source: 'urn:service-hall:hall.campus.test',
  type: 'cn.edu.hall.task.approved',
  subject,
  time: new Date().toISOString(),
  datacontenttype: 'application/json',
  sequence: String(++seq),
  data: { actor: 'T0002', n },
});

describe('NATS JetStream sink (integration, a real nats-server)', function () {
  this.timeout(60_000);
  const server = new NatsServer();
  let sink: NatsJetStreamSink;

  before(async function () {
    skipWithoutNats(this);
    await server.start();
    sink = new NatsJetStreamSink({
      servers: server.url,
      stream: 'HALL_EVENTS',
      subject: 'hall.events',
      timeoutMs: 2000,
    });
  });
  after(async () => {
    await sink?.shutdown();
    await server.remove();
  });

  it('stores every event once, in order per aggregate, with its id as Nats-Msg-Id; a re-sent batch adds nothing', async () => {
    const a = [1, 2, 3].map((n) => event('application/a-1', n));
    const b = [1, 2].map((n) => event('person/T0900', n));
    const batch = [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!];
    expect(await sink.deliver(batch)).to.deep.equal({ kind: 'accepted' });
    // the relay sends a batch again when it could not record that it was taken
    expect(await sink.deliver(batch.slice(0, 3))).to.deep.equal({ kind: 'accepted' });
    const got = await stored(server.url, 'HALL_EVENTS');
    expect(got.map((m) => m.event.id)).to.deep.equal(batch.map((e) => e.id));
    expect(got.map((m) => m.msgId)).to.deep.equal(batch.map((e) => e.id));
    expect(got.filter((m) => m.subject === 'hall.events.application').map((m) => m.event.data.n)).to.deep.equal([
      1, 2, 3,
    ]);
    expect(got.filter((m) => m.subject === 'hall.events.person').map((m) => m.event.data.n)).to.deep.equal([1, 2]);
    expect(got[0]!.event).to.deep.equal(a[0]);
  });

  it('a broker that is down is transient; once it is back the batch is taken and nothing stored is lost', async () => {
    await server.stop();
    const late = [event('application/a-2', 1)];
    const answer = await sink.deliver(late);
    expect(answer.kind).to.equal('transient');
    await server.start();
    expect(await sink.deliver(late)).to.deep.equal({ kind: 'accepted' });
    const got = await stored(server.url, 'HALL_EVENTS');
    expect(got).to.have.length(6);
    expect(got.at(-1)!.event.id).to.equal(late[0]!.id);
  });
});
