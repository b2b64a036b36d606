import { expect } from 'chai';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from '../../src/adapters/driving/http/client-errors.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

/** What Node's HTTP parser refuses before the app sees it is a problem document too, as the server main.ts starts answers it. */
describe("requests Node's HTTP parser refuses (e2e)", () => {
  let t: TestApp;
  let server: Server;
  let port: number;
  before(async () => {
    t = await createTestApp();
    server = createServer(t.app);
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; type: string; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: JSON.parse(text) }),
        );
      });
      req.on('error', reject);
      req.end();
    });

  it('a request line over 16 KB (3,000 CJK characters in a path id, 27,000 encoded) is 431 as application/problem+json', async () => {
    const res = await get(`/api/v1/applications/${encodeURIComponent('字'.repeat(3000))}`);
    expect([res.status, res.type, res.body.code, res.body.status]).to.deep.equal([
      431,
      'application/problem+json',
      'HTTP.HEADERS_TOO_LARGE',
      431,
    ]);
  });

  it('headers over 16 KB are 431 too; a request under the limit reaches the app', async () => {
    expect((await get('/healthz', { 'Idempotency-Key': 'k'.repeat(20_000) })).status).to.equal(431);
    expect((await get('/healthz')).status).to.equal(200);
  });
});
