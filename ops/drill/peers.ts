import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The systems a sandboxed hall depends on, as real HTTP servers the drill can break: a
 * department's business system (a connector's endpoint), the public data platform (the outbox's
 * sink) and the CAS server. Each keeps what it took, so the drill can count what was lost or sent
 * twice.
 */
abstract class Peer {
  /**
   * answering; silent: takes requests and never answers; failing: answers 503; stopped: refuses
   * connections; partitioned: the hall's requests are cut, other clients' (browsers') answered
   */
  mode: 'answering' | 'silent' | 'failing' | 'stopped' | 'partitioned' = 'answering';
  base = '';
  private server: Server | undefined;
  private port = 0;
  private readonly sockets = new Set<Socket>();

  protected abstract handle(req: IncomingMessage, res: ServerResponse, body: string): void;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        if (this.mode === 'silent') return; // held until the socket is closed
        if (this.mode === 'failing') return void res.writeHead(503, { 'retry-after': '1' }).end();
        this.handle(req, res, body);
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    this.base = `http://127.0.0.1:${this.port}`;
  }

  /** Back to answering: held requests are dropped (their callers have timed out), a stopped server listens again. */
  async answer(): Promise<void> {
    this.mode = 'answering';
    for (const s of this.sockets) s.destroy();
    if (!this.server) await this.start();
  }

  /** Refuses connections (the server is gone). */
  async stop(): Promise<void> {
    this.mode = 'stopped';
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}

/** A department's system behind an HTTP connector: every case it took, by idempotency key. */
export class BusinessSystemPeer extends Peer {
  readonly taken = new Map<string, number>();
  protected handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string') return void res.writeHead(400).end('{"error":"no key"}');
    try {
      JSON.parse(body);
    } catch {
      return void res.writeHead(400).end('{"error":"not JSON"}');
    }
    this.taken.set(key, (this.taken.get(key) ?? 0) + 1);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ reference: `DRILL-${key.slice(0, 8)}` }));
  }
}

/** The public data platform: every CloudEvent it took, by id. */
export class DataPlatformPeer extends Peer {
  readonly taken = new Map<string, number>();
  protected handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    let events: Array<{ id?: unknown }>;
    try {
      const parsed = JSON.parse(body) as unknown;
      events = Array.isArray(parsed) ? (parsed as Array<{ id?: unknown }>) : [parsed as { id?: unknown }];
    } catch {
      return void res.writeHead(400).end();
    }
    for (const e of events) if (typeof e.id === 'string') this.taken.set(e.id, (this.taken.get(e.id) ?? 0) + 1);
    res.writeHead(202).end();
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A CAS server (protocol 3.0): /cas/login issues a ticket for the user named by login_hint, /cas/p3/serviceValidate checks it. */
export class CasPeer extends Peer {
  private readonly tickets = new Map<string, { user: string; service: string }>();
  constructor(private readonly users: Record<string, string>) {
    super();
  }

  get casUrl(): string {
    return `${this.base}/cas`;
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://cas.drill');
    const service = url.searchParams.get('service') ?? '';
    if (url.pathname === '/cas/login') {
      const user = url.searchParams.get('login_hint') ?? '';
      if (!this.users[user]) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<form></form>');
      const ticket = `ST-${randomBytes(12).toString('hex')}`;
      this.tickets.set(ticket, { user, service });
      return void res
        .writeHead(302, { location: `${service}${service.includes('?') ? '&' : '?'}ticket=${ticket}` })
        .end();
    }
    if (url.pathname === '/cas/p3/serviceValidate') {
      // what the hall asks: cut while partitioned from it
      if (this.mode === 'partitioned') return void req.socket.destroy();
      const ticket = url.searchParams.get('ticket') ?? '';
      const issued = this.tickets.get(ticket);
      this.tickets.delete(ticket);
      res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
      if (!issued || issued.service !== service)
        return void res.end(
          `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">not recognized</cas:authenticationFailure></cas:serviceResponse>`,
        );
      return void res.end(
        `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>${esc(issued.user)}</cas:user><cas:attributes><cas:employeeNumber>${esc(this.users[issued.user]!)}</cas:employeeNumber></cas:attributes></cas:authenticationSuccess></cas:serviceResponse>`,
      );
    }
    res.writeHead(404).end();
  }
}
