import pg from 'pg';
import type { Logger } from 'pino';

/** What one channel's subscriber does with what the listener hears. */
export interface ChannelHandler {
  /** A NOTIFY on the channel, committed by any instance (this one included). */
  notification(payload: string): void;
  /**
   * LISTEN is in place: once at start, and again after every reconnection. Whatever was sent while
   * it was not is lost, so a subscriber reloads or forgets here.
   */
  listening?(): void;
  /** The connection is gone; nothing is heard until `listening` is called again. */
  lost?(): void;
}

export interface PgNotificationListenerOptions {
  connectionString: string;
  logger: Logger;
  applicationName?: string;
  /** First delay before reconnecting, doubled after every failed attempt up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A connection that died without a word (a network gone quiet) is noticed by a query this often;
   * an error or a dropped socket is noticed at once.
   */
  heartbeatMs?: number;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One dedicated PostgreSQL connection that LISTENs on several channels and hands each notification
 * to the channel's handlers. NOTIFY is transactional: a notification arrives only once the
 * transaction that sent it has committed, and never if it rolled back. When the connection is lost
 * the handlers are told (`lost`), the listener reconnects with back-off, LISTENs again and tells them
 * (`listening`), since notifications sent in between are gone. `stop()` ends it for good.
 */
export class PgNotificationListener {
  private readonly handlers = new Map<string, ChannelHandler[]>();
  private client: pg.Client | undefined;
  private pid: number | undefined;
  private state: 'new' | 'connected' | 'reconnecting' | 'stopped' = 'new';
  private heartbeat: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly o: PgNotificationListenerOptions) {}

  /** Subscribes a handler to a channel; every subscription is made before `start()`. */
  listen(channel: string, handler: ChannelHandler): void {
    if (!CHANNEL.test(channel)) throw new Error(`not a channel name: '${channel}'`);
    if (this.state !== 'new') throw new Error('subscribe before the listener starts');
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /** Connects and LISTENs; a failure here is thrown (the caller cannot work without it). */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('the listener was started already');
    await this.connect();
  }

  /** True while LISTEN is in place. */
  get connected(): boolean {
    return this.state === 'connected';
  }

  /** The PostgreSQL backend serving the connection, while connected (operators and tests find it in pg_stat_activity). */
  get backendPid(): number | undefined {
    return this.state === 'connected' ? this.pid : undefined;
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    this.stopHeartbeat();
    this.wake?.();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.o.connectionString,
      application_name: this.o.applicationName ?? 'service-hall-listener',
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    client.on('notification', (m) => this.deliver(m.channel, m.payload ?? ''));
    client.on('error', (e) => this.dropped(client, e));
    client.on('end', () => this.dropped(client));
    let pid: number;
    try {
      await client.connect();
      pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.state === 'stopped') {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.pid = pid;
    this.state = 'connected';
    this.startHeartbeat(client);
    this.each((h) => h.listening?.());
  }

  private deliver(channel: string, payload: string): void {
    for (const h of this.handlers.get(channel) ?? []) {
      try {
        h.notification(payload);
      } catch (e) {
        this.o.logger.error({ err: e, channel }, 'a notification handler failed');
      }
    }
  }

  private each(call: (h: ChannelHandler) => void): void {
    for (const [channel, hs] of this.handlers) {
      for (const h of hs) {
        try {
          call(h);
        } catch (e) {
          this.o.logger.error({ err: e, channel }, 'a notification handler failed');
        }
      }
    }
  }

  /** The one way out of `connected` other than stop(): tell the handlers, then reconnect. */
  private dropped(client: pg.Client, error?: unknown): void {
    if (client !== this.client || this.state !== 'connected') return;
    this.client = undefined;
    this.state = 'reconnecting';
    this.stopHeartbeat();
    this.o.logger.warn(
      { err: error, channels: [...this.handlers.keys()] },
      'notification listener connection lost; reconnecting',
    );
    this.each((h) => h.lost?.());
    void client.end().catch(() => undefined);
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    const max = this.o.maxDelayMs ?? 10_000;
    for (let delay = this.o.minDelayMs ?? 100; this.state === 'reconnecting'; delay = Math.min(delay * 2, max)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      if (this.state !== 'reconnecting') return;
      try {
        await this.connect();
        this.o.logger.info({ channels: [...this.handlers.keys()] }, 'notification listener listening again');
        return;
      } catch (e) {
        this.o.logger.warn(
          { err: e, retryInMs: Math.min(delay * 2, max) },
          'notification listener could not reconnect',
        );
      }
    }
  }

  private startHeartbeat(client: pg.Client): void {
    const every = this.o.heartbeatMs ?? 30_000;
    this.heartbeat = setInterval(() => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('heartbeat query timed out')), Math.min(every, 10_000));
      });
      Promise.race([client.query('SELECT 1'), timeout])
        .catch((e: unknown) => this.dropped(client, e))
        .finally(() => clearTimeout(timer));
    }, every);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
