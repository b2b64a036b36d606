import type { Knex } from 'knex';
import type { DatabaseAvailability } from '../../../application/ports/database-availability.port.js';
import type { Metrics } from '../../../application/ports/metrics.port.js';

interface TarnPool {
  on(event: 'acquireRequest', listener: (eventId: number) => void): void;
  on(event: 'acquireSuccess' | 'acquireFail', listener: (eventId: number) => void): void;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** Reports how long requests wait for a database connection, how busy the pool is, and how many statements go out. */
export function watchPool(knex: Knex, observer: Pick<Metrics, 'poolWaited' | 'statementSent' | 'poolFigures'>): void {
  knex.on('query', () => observer.statementSent());
  const pool = (knex.client as { pool?: TarnPool }).pool;
  if (!pool) return;
  const started = new Map<number, bigint>();
  const done = (eventId: number, outcome: 'acquired' | 'timeout') => {
    const t0 = started.get(eventId);
    if (t0 === undefined) return;
    started.delete(eventId);
    observer.poolWaited({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, outcome });
  };
  pool.on('acquireRequest', (id) => {
    started.set(id, process.hrtime.bigint());
  });
  pool.on('acquireSuccess', (id) => done(id, 'acquired'));
  pool.on('acquireFail', (id) => done(id, 'timeout'));
  observer.poolFigures(() => ({ used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() }));
}

const UNAVAILABLE_SQLSTATES = new Set([
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * Whether an error means the database cannot serve now, rather than that the request is wrong:
 * 'busy' when every connection stayed taken for the whole bounded wait, 'down' when PostgreSQL is
 * unreachable, shutting down or out of connections. Either is worth a retry later (503), never a 500.
 */
export function databaseUnavailable(e: unknown): 'busy' | 'down' | null {
  const err = e as { name?: string; code?: string; message?: string } | null;
  if (!err || typeof err !== 'object') return null;
  if (err.name === 'KnexTimeoutError') return 'busy';
  if (typeof err.code === 'string' && (UNAVAILABLE_SQLSTATES.has(err.code) || UNREACHABLE.has(err.code))) return 'down';
  // the driver's words for a connection that broke: as the query's error, or as the ROLLBACK's when
  // knex rolls a transaction back on it (found by the database-unreachable drill: it was a 500)
  if (
    typeof err.message === 'string' &&
    /Connection terminated|connection error and is not queryable|Client was closed and is not queryable/i.test(
      err.message,
    )
  )
    return 'down';
  return null;
}

/** databaseUnavailable as the port the HTTP edge answers 503 with. */
export const knexDatabaseAvailability: DatabaseAvailability = { unavailable: databaseUnavailable };
