import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { PolicyFeed } from './casbin-policy-enforcer.js';
import type { AssignmentChange } from './policy-index.js';
import { decodeNotification, encodeNotification, POLICY_CHANNEL } from './policy-notification.js';

/** What the watcher keeps current (CasbinPolicyEnforcer). */
export interface PolicyChangeListener {
  apply(changes: readonly AssignmentChange[]): void;
  reload(): Promise<void>;
}

interface Barrier {
  resolve(): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Keeps an instance's policy current. It LISTENs on a dedicated connection and hands each change
 * another instance committed to the listener as it arrives; a reload marker (bulk or unreadable
 * change) queues one full reload, bursts coalescing. Every (re)connection LISTENs first and then
 * reloads fully: notifications sent while nobody listened are gone, and none may slip in between.
 */
export class PgPolicyWatcher implements PolicyFeed {
  private client: pg.Client | undefined;
  private stopped = false;
  /** Reloads run one after another; a sync barrier waits for those asked for before it. */
  private reloads: Promise<void> = Promise.resolve();
  private reloadQueued = false;
  private readonly barriers = new Map<string, Barrier>();

  constructor(
    private readonly url: string,
    private readonly listener: PolicyChangeListener,
    private readonly logger: Logger,
    private readonly options: { syncTimeoutMs: number; coalesceMs: number } = { syncTimeoutMs: 3000, coalesceMs: 20 },
  ) {}

  /** Connects, LISTENs and loads the whole policy; rejects when the database cannot be reached. */
  async start(): Promise<void> {
    await this.connect();
    const first = this.listener.reload();
    this.reloads = first.catch(() => undefined);
    try {
      await first;
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /**
   * Resolves once every change committed before the call has reached the listener: a notification
   * sent now is delivered after all of those (PostgreSQL delivers in commit order), so seeing it come
   * back means they have been applied, and so have reloads they asked for. Rejects when the
   * connection is down or the barrier does not come back in time.
   */
  async sync(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('policy watcher is not connected');
    const token = randomUUID();
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(token, new Error('policy watcher: sync timed out')),
        this.options.syncTimeoutMs,
      );
      this.barriers.set(token, { resolve, reject, timer });
    });
    try {
      await client.query('SELECT pg_notify($1, $2)', [POLICY_CHANNEL, encodeNotification({ kind: 'sync', token })]);
    } catch (e) {
      this.settle(token, e instanceof Error ? e : new Error(String(e)));
    }
    return done;
  }

  /** The connection's server process id (tests end it to simulate a lost connection). */
  get backendPid(): number | undefined {
    return (this.client as { processID?: number } | undefined)?.processID;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    for (const token of [...this.barriers.keys()]) this.settle(token, new Error('policy watcher stopped'));
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'service-hall-policy-watcher' });
    client.on('notification', (m) => {
      if (m.channel === POLICY_CHANNEL) this.receive(m.payload);
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${POLICY_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
  }

  private receive(payload: string | undefined): void {
    const n = decodeNotification(payload);
    if (n.kind === 'changes') this.listener.apply(n.changes);
    else if (n.kind === 'reload') void this.queueReload(this.options.coalesceMs);
    else if (this.barriers.has(n.token)) {
      const pending = this.reloads;
      void pending.then(() => this.settle(n.token));
    }
  }

  /** One more full reload after those already queued, unless one queued is still to start (it will see this change). */
  private queueReload(delayMs: number): Promise<void> {
    if (this.reloadQueued) return this.reloads;
    this.reloadQueued = true;
    this.reloads = this.reloads
      .then(() => new Promise((r) => setTimeout(r, delayMs)))
      .then(() => {
        this.reloadQueued = false;
        return this.stopped ? undefined : this.listener.reload();
      })
      .catch((e: unknown) => this.logger.error({ err: e }, 'policy reload failed'));
    return this.reloads;
  }

  private settle(token: string, error?: Error): void {
    const barrier = this.barriers.get(token);
    if (!barrier) return;
    this.barriers.delete(token);
    clearTimeout(barrier.timer);
    if (error) barrier.reject(error);
    else barrier.resolve();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.logger.warn({ err: error }, 'policy watcher connection lost; reconnecting');
    // their notifications may never come back: the callers read everything themselves
    for (const token of [...this.barriers.keys()]) this.settle(token, new Error('policy watcher connection lost'));
    void client.end().catch(() => undefined);
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let delay = 100; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        await this.connect();
        if (this.stopped) {
          await this.stop();
          return;
        }
        await this.queueReload(0);
        return;
      } catch (e) {
        this.logger.warn({ err: e }, 'policy watcher cannot reconnect yet');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
