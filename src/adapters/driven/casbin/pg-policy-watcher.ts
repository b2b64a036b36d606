import pg from 'pg';
import type { Logger } from 'pino';
import { POLICY_CHANNEL } from './knex-role-assignments.js';

/**
 * Keeps an instance's policy current: LISTENs on a dedicated connection and reloads the enforcer
 * when any instance commits a policy change (bursts coalesce into one reload). On a lost connection
 * it reconnects and reloads, since notifications sent meanwhile are gone.
 */
export class PgPolicyWatcher {
  private client: pg.Client | undefined;
  private stopped = false;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly url: string, private readonly reload: () => Promise<void>, private readonly logger: Logger) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'service-hall-policy-watcher' });
    client.on('notification', () => this.schedule());
    client.on('error', (e) => {
      this.logger.warn({ err: e }, 'policy watcher connection lost; reconnecting');
      void this.restart();
    });
    await client.connect();
    await client.query(`LISTEN ${POLICY_CHANNEL}`);
    this.client = client;
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.reload().catch((e: unknown) => this.logger.error({ err: e }, 'policy reload failed'));
    }, 20);
  }

  private async restart(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
    for (let delay = 200; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        await this.start();
        this.schedule();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pending) clearTimeout(this.pending);
    await this.client?.end().catch(() => undefined);
  }
}
