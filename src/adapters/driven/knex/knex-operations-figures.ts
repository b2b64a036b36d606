import type { Knex } from 'knex';
import { JOB_SCHEMA } from '../pg-boss/boss-db.js';

/**
 * Figures for operations, read from the database when the metrics are scraped: each read in a
 * transaction of its own with a statement timeout, so a slow database makes a scrape miss these
 * figures (the scrape still answers), never hang.
 */
export class KnexOperationsFigures {
  constructor(
    private readonly knex: Knex,
    private readonly budgetMs = 2000,
  ) {}

  /** Open tasks per unit, and those of them past their due time. */
  tasks(): Promise<Array<{ unit: string; open: number; overdue: number }>> {
    return this.read(async (trx) => {
      const { rows } = await trx.raw<{ rows: Array<{ unit: string; open: number; overdue: number }> }>(
        `SELECT owning_unit AS unit, count(*)::int AS open, (count(*) FILTER (WHERE due_at < now()))::int AS overdue
         FROM tasks WHERE status = 'open' GROUP BY owning_unit ORDER BY owning_unit`,
      );
      return rows;
    });
  }

  /** Per job queue: jobs waiting (created, or to be retried) and the age of the oldest, in seconds. */
  jobs(): Promise<Array<{ queue: string; waiting: number; oldestSeconds: number }>> {
    return this.read(async (trx) => {
      const { rows } = await trx.raw<{ rows: Array<{ queue: string; waiting: number; oldest: number | null }> }>(
        `SELECT name AS queue, count(*)::int AS waiting, extract(epoch FROM now() - min(created_on))::float8 AS oldest
         FROM ${JOB_SCHEMA}.job WHERE state IN ('created', 'retry') GROUP BY name ORDER BY name`,
      );
      return rows.map((r) => ({ queue: r.queue, waiting: r.waiting, oldestSeconds: Math.max(0, r.oldest ?? 0) }));
    });
  }

  /** Nothing (the figures are left out of this scrape) when the database cannot answer within the budget. */
  private read<T>(work: (trx: Knex.Transaction) => Promise<T[]>): Promise<T[]> {
    return this.knex
      .transaction(async (trx) => {
        await trx.raw(`SET LOCAL statement_timeout = ${Math.floor(this.budgetMs)}`);
        return work(trx);
      })
      .catch(() => []);
  }
}
