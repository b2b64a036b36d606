import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { ResolvedConfig } from './adapters/composition/container.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './adapters/driven/embedded-postgres/embedded-database.js';
import { createKnex } from './adapters/driven/knex/knex-database.js';
import { migrateLatest, pendingMigrations } from './adapters/driven/knex/migration-source.js';
import { seedDemoOrganisation } from './adapters/composition/demo.js';

/** A secret generated once and kept in the data folder (embedded mode only). */
async function localSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'session-secret');
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return (await readFile(file, 'utf8')).trim();
}

/**
 * Shared by the API process and the CLI: the database (DATABASE_URL, or the embedded server under
 * HALL_DATA_DIR started here), migrations when asked for, and the demo organisation when seeding is
 * on and the schema is current. `pending`: the migrations still to run (none once migrated).
 */
export async function prepareDatabase(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean } = {},
): Promise<{ config: ResolvedConfig; embedded?: EmbeddedDatabase; pending: string[] }> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      log: (line) => logger.debug({ postgres: line }),
    });
    databaseUrl = embedded.url;
    logger.info({ dataDir: path.resolve(config.dataDir) }, 'embedded PostgreSQL started');
  }
  try {
    const knex = createKnex(databaseUrl, 2);
    let pending: string[];
    try {
      if (options.migrate ?? true) {
        const applied = await migrateLatest(knex);
        if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
      }
      pending = await pendingMigrations(knex);
      if (config.seedDemo && !pending.length) await seedDemoOrganisation(knex);
    } finally {
      await knex.destroy();
    }
    const sessionSecret = config.sessionSecret ?? (await localSecret(config.dataDir));
    return { config: { ...config, databaseUrl, sessionSecret }, embedded, pending };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

/**
 * Waits until nobody's migrations are pending any more (an operator runs `hall db migrate`), asking
 * every `everyMs`; `pending` is kept current for whoever reports it. Then seeds the demo
 * organisation if asked to. Resolves false if `stopped()` turned true meanwhile.
 */
export async function awaitCurrentSchema(
  config: ResolvedConfig,
  logger: Logger,
  pending: string[],
  o: { everyMs: number; stopped: () => boolean },
): Promise<boolean> {
  const knex = createKnex(config.databaseUrl, 1);
  try {
    while (pending.length) {
      if (o.stopped()) return false;
      await new Promise((r) => setTimeout(r, o.everyMs));
      try {
        pending.splice(0, pending.length, ...(await pendingMigrations(knex)));
      } catch (e) {
        logger.warn({ err: e }, 'could not read the migration status; trying again');
      }
    }
    if (config.seedDemo) await seedDemoOrganisation(knex);
    return true;
  } finally {
    await knex.destroy();
  }
}
