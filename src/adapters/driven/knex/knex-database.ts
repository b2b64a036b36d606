import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// timestamptz as Date (default) and bigint counts as numbers where they fit
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

// DATE columns stay civil dates ('2026-11-27'), never shifted through a time zone
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/**
 * `acquireTimeoutMs`: how long a request waits for a connection when all are taken; after it the
 * request is answered 503 with Retry-After (see databaseUnavailable), not held on to.
 */
export function createKnex(url: string, poolMax: number, acquireTimeoutMs = 10_000): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: 'service-hall' },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: acquireTimeoutMs,
    // a connection the pool could not hand out is the request's error, logged once where it is answered
    log: {
      warn: (m: string) => {
        if (!m.startsWith('Acquire connection error')) process.emitWarning(m, 'KnexWarning');
      },
    },
  });
}
