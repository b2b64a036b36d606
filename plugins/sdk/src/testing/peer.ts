import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the peer received it. */
export interface PeerRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, if it is JSON. */
  json: unknown;
}

export interface PeerResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the peer does with a request: answer, never answer, or drop the connection. */
export type PeerBehaviour = PeerResponse | 'hang' | 'drop';

export interface TestPeer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: PeerRequest[];
  /** Sets what the peer does from now on: one behaviour for all, or a function of the request. */
  behave(behaviour: PeerBehaviour | ((request: PeerRequest) => PeerBehaviour)): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for a department's system. It answers 200 `{}`
 * until told otherwise. `close` ends hanging requests too.
 */
export async function startPeer(
  behaviour: PeerBehaviour | ((request: PeerRequest) => PeerBehaviour) = { status: 200, body: {} },
): Promise<TestPeer> {
  const requests: PeerRequest[] = [];
  let current = behaviour;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request: PeerRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        json,
      };
      requests.push(request);
      const what = typeof current === 'function' ? current(request) : current;
      if (what === 'hang') return;
      if (what === 'drop') {
        req.socket.destroy();
        return;
      }
      const text = what.body === undefined ? '' : typeof what.body === 'string' ? what.body : JSON.stringify(what.body);
      res.writeHead(what.status, {
        ...(typeof what.body === 'string' || what.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...what.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behave(b) {
      current = b;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
