import type { Knex } from 'knex';
import PgBoss from 'pg-boss';
import type { JobAdmin, JobState, QueueFigures } from '../../../application/ports/job-admin.port.js';
import { bossDb, JOB_SCHEMA, QUEUES } from './boss-db.js';

const STATES: JobState[] = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'];

export class KnexJobAdmin implements JobAdmin {
  constructor(private readonly knex: Knex) {}

  async figures(now: Date): Promise<QueueFigures[]> {
    const rows = (await this.knex(`${JOB_SCHEMA}.job`)
      .groupBy('name', 'state')
      .select(
        'name',
        'state',
        this.knex.raw('count(*)::int AS n'),
        this.knex.raw(
          "min(start_after) FILTER (WHERE state IN ('created', 'retry') AND start_after <= ?) AS oldest_due",
          [now],
        ),
      )) as Array<{ name: string; state: JobState; n: number; oldest_due: Date | null }>;
    return Object.values(QUEUES).map((queue) => {
      const mine = rows.filter((r) => r.name === queue);
      const due = mine
        .map((r) => r.oldest_due)
        .filter((d): d is Date => d !== null)
        .sort((a, b) => a.getTime() - b.getTime());
      return {
        queue,
        states: Object.fromEntries(STATES.map((s) => [s, mine.find((r) => r.state === s)?.n ?? 0])) as Record<
          JobState,
          number
        >,
        oldestDue: due[0] ?? null,
      };
    });
  }

  async retryFailed(queue: string | null): Promise<number> {
    return this.knex.transaction(async (trx) => {
      const boss = new PgBoss({ schema: JOB_SCHEMA, db: bossDb(trx) });
      let total = 0;
      for (const name of queue ? [queue] : Object.values(QUEUES)) {
        const ids = (await trx(`${JOB_SCHEMA}.job`).where({ name, state: 'failed' }).select('id')).map(
          (r: { id: string }) => r.id,
        );
        if (ids.length) await boss.retry(name, ids, { db: bossDb(trx) });
        total += ids.length;
      }
      return total;
    });
  }
}
