import type { Knex } from 'knex';

/** What a breaker tells the other instances, and what they told it. */
export interface SharedConnectorStates {
  opened(connector: string): void;
  closed(connector: string): void;
  /** Connectors some instance found down (refreshed in the background). */
  openElsewhere(): ReadonlySet<string>;
  stop(): void;
}

/**
 * Open breakers in `connector_states`, read back every `refreshMs`. Writes are fire-and-forget from
 * the breaker's events (a failed write is logged by the caller's absence of effect, never thrown
 * into a job); a row holds for `holdMs` (the breaker's reset time) unless the breaker opens again.
 */
export class KnexConnectorStates implements SharedConnectorStates {
  private open: ReadonlySet<string> = new Set();
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly knex: Knex,
    private readonly o: { refreshMs?: number; holdMs?: number; onError?: (e: unknown) => void } = {},
  ) {}

  start(): this {
    const every = this.o.refreshMs ?? 2000;
    const tick = () => {
      void this.refresh().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, every).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
    return this;
  }

  async refresh(): Promise<void> {
    try {
      const rows = await this.knex('connector_states').where('open_until', '>', this.knex.fn.now()).select('connector');
      this.open = new Set(rows.map((r: { connector: string }) => r.connector));
      this.failing = false;
    } catch (e) {
      // the database is down: keep what was known, and say so once, not every refresh
      if (!this.failing) this.o.onError?.(e);
      this.failing = true;
    }
  }

  opened(connector: string): void {
    const holdMs = this.o.holdMs ?? 30_000;
    // a breaker's events come from calls made after commit, never inside a unit of work (the pool guard holds)
    void this.knex
      .raw(
        `INSERT INTO connector_states (connector, opened_at, open_until) VALUES (?, now(), now() + ? * interval '1 millisecond')
         ON CONFLICT (connector) DO UPDATE SET open_until = EXCLUDED.open_until`,
        [connector, holdMs],
      )
      .then(() => this.refresh())
      .catch((e: unknown) => this.o.onError?.(e));
  }

  closed(connector: string): void {
    void this.knex('connector_states')
      .where({ connector })
      .delete()
      .then(() => this.refresh())
      .catch((e: unknown) => this.o.onError?.(e));
  }

  openElsewhere(): ReadonlySet<string> {
    return this.open;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
