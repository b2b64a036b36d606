import type { Logger } from 'pino';
import { JobWorker, type JobWorkerOptions } from '../driving/jobs/job-worker.js';
import { JOB_SCHEMA, QUEUES } from '../driven/pg-boss/boss-db.js';
import type { Container } from './container.js';

/** A job worker over a container's use cases, on the schema and queues the pg-boss adapter writes. */
export function buildJobWorker(
  container: Container,
  options: Omit<JobWorkerOptions, 'schema' | 'queues'>,
  logger: Logger,
): JobWorker {
  return new JobWorker(container.useCases, { ...options, schema: JOB_SCHEMA, queues: QUEUES }, logger);
}
