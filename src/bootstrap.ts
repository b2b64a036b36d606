import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { ResolvedConfig } from './adapters/composition/container.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './adapters/driven/embedded-postgres/embedded-database.js';
import { createKnex } from './adapters/driven/knex/knex-database.js';
import { migrateLatest } from './adapters/driven/knex/migration-source.js';
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
 * HALL_DATA_DIR started here), migrations, and the demo organisation when seeding is on.
 */
export async function prepareDatabase(config: Config, logger: Logger, options: { migrate?: boolean } = {}): Promise<{ config: ResolvedConfig; embedded?: EmbeddedDatabase }> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, log: (line) => logger.debug({ postgres: line }) });
    databaseUrl = embedded.url;
    logger.info({ dataDir: path.resolve(config.dataDir) }, 'embedded PostgreSQL started');
  }
  try {
    const knex = createKnex(databaseUrl, 2);
    try {
      if (options.migrate ?? true) {
        const applied = await migrateLatest(knex);
        if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
      }
      if (config.seedDemo) await seedDemoOrganisation(knex);
    } finally {
      await knex.destroy();
    }
    const sessionSecret = config.sessionSecret ?? await localSecret(config.dataDir);
    return { config: { ...config, databaseUrl, sessionSecret }, embedded };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}
