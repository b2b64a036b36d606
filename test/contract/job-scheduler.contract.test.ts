import type { JobState } from '../../src/application/ports/job-admin.port.js';
import { JOB_SCHEMA } from '../../src/adapters/driven/pg-boss/boss-db.js';
import { jobSchedulerContract } from './job-scheduler.contract.js';
import { fakeSide, realSide } from './sides.js';

jobSchedulerContract('the fakes on their job table', async (o) => {
  const side = fakeSide(o);
  return {
    ...side,
    jobs: async (queue) => structuredClone(side.db.state.jobs.filter((j) => j.queue === queue)),
    fetch: async (queue, id) => {
      const job = side.db.state.jobs.find((j) => j.queue === queue && j.id === id)!;
      Object.assign(job, { state: 'active', retryCount: job.retryCount + (job.started ? 1 : 0), started: true });
    },
  };
});

jobSchedulerContract('the knex repositories and pg-boss job rows (real PostgreSQL)', async (o) => {
  const side = await realSide(o);
  const job = () => side.knex(`${JOB_SCHEMA}.job`);
  return {
    ...side,
    jobs: async (queue) =>
      (await job().where({ name: queue }).select('id', 'state', 'start_after', 'retry_count', 'data')).map(
        (r: {
          id: string;
          state: JobState;
          start_after: Date;
          retry_count: number;
          data: Record<string, unknown>;
        }) => ({ id: r.id, state: r.state, startAfter: r.start_after, retryCount: r.retry_count, data: r.data }),
      ),
    // what pg-boss's fetch does to the job it hands out
    fetch: async (queue, id) => {
      await job()
        .where({ name: queue, id })
        .update({
          state: 'active',
          started_on: side.knex.fn.now(),
          retry_count: side.knex.raw('CASE WHEN started_on IS NOT NULL THEN retry_count + 1 ELSE retry_count END'),
        });
    },
  };
});
