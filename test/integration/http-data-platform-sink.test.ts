import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDataPlatformSink } from '../../src/adapters/driven/http-sink/http-data-platform-sink.js';
import type { CloudEvent } from '../../src/application/ports/data-platform-sink.port.js';

const event = (id: string): CloudEvent => ({
  specversion: '1.0',
  id,
  source: 'urn:service-hall:hall.test',
  type: 'cn.edu.hall.application.submitted',
  subject: 'application/a',
  time: '2026-11-01T00:00:00.000Z',
  datacontenttype: 'application/json',
  sequence: '1',
  data: {},
});

/** The HTTP sink against a real server: what it sends, and how each answer is read. */
describe('HttpDataPlatformSink (real HTTP server)', () => {
  let server: Server;
  let url: string;
  let status = 202;
  let delayMs = 0;
  const requests: Array<{ method: string; type: string; auth: string | undefined; body: unknown }> = [];
  before(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        requests.push({
          method: req.method!,
          type: String(req.headers['content-type']),
          auth: req.headers.authorization,
          body: JSON.parse(raw),
        });
        setTimeout(() => res.writeHead(status).end('why'), delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  });
  afterEach(() => {
    status = 202;
    delayMs = 0;
    requests.length = 0;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('POSTs the batch as application/cloudevents-batch+json with the bearer token; 2xx takes it all', async () => {
    const sink = new HttpDataPlatformSink({ url, token: 's3cret', timeoutMs: 2000 });
    expect(await sink.deliver([event('a'), event('b')])).to.deep.equal({ kind: 'accepted' });
    expect(requests).to.deep.equal([
      {
        method: 'POST',
        type: 'application/cloudevents-batch+json; charset=utf-8',
        auth: 'Bearer s3cret',
        body: [event('a'), event('b')],
      },
    ]);
    sink.shutdown();
  });

  it('reads 4xx as a refusal (but 408 and 429 as transient), 5xx and a timeout as transient', async () => {
    const sink = new HttpDataPlatformSink({ url, timeoutMs: 200 }, { volumeThreshold: 100 });
    status = 400;
    expect(await sink.deliver([event('a')])).to.deep.equal({
      kind: 'rejected',
      reason: 'data-platform answered 400: why',
    });
    for (const s of [408, 429, 503]) {
      status = s;
      expect(await sink.deliver([event('a')])).to.include({ kind: 'transient' });
    }
    status = 202;
    delayMs = 500;
    const timedOut = await sink.deliver([event('a')]);
    expect(timedOut.kind).to.equal('transient');
    expect(requests[0]!.auth, 'no token configured').to.equal(undefined);
    sink.shutdown();
  });

  it('an open breaker fails batches at once without a request, until it half-opens; refusals do not open it', async () => {
    const sink = new HttpDataPlatformSink({ url, timeoutMs: 2000 }, { volumeThreshold: 3, resetTimeoutMs: 300 });
    status = 400;
    for (let i = 0; i < 5; i++) expect((await sink.deliver([event('a')])).kind).to.equal('rejected');
    status = 503;
    // the refusals count as answers: it takes more than half failures of all to open
    for (let i = 0; i < 8; i++) await sink.deliver([event('a')]);
    const sent = requests.length;
    const open = await sink.deliver([event('a')]);
    expect(open).to.include({ kind: 'transient' });
    expect(requests.length, 'no request while open').to.equal(sent);
    status = 202;
    await new Promise((r) => setTimeout(r, 350));
    expect(await sink.deliver([event('a')])).to.deep.equal({ kind: 'accepted' });
    sink.shutdown();
  });
});
