import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between the hall and its PostgreSQL that a drill can cut: while cut, every open
 * connection is reset and new ones are refused (the listening socket is closed, so a connect gets
 * ECONNREFUSED, as from a firewall rule or a stopped server).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(port, target);
    await proxy.listen(port);
    return proxy;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        if (typeof address === 'object' && address) (this as { port: number }).port = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  get cut(): boolean {
    return !this.server;
  }

  /** Refuses new connections and resets the open ones. */
  async disconnect(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Accepts connections again, on the same port. */
  async reconnect(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.disconnect();
  }
}
