import 'reflect-metadata';
import type { Server } from 'node:http';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { prepareDatabase } from './bootstrap.js';
import { buildContainer, disposeContainer } from './adapters/composition/container.js';
import { createHttpApp } from './adapters/driving/http/app.js';
import { seedServiceItems } from './adapters/driving/seed/demo-seed.js';
import { JobWorker } from './adapters/driving/jobs/job-worker.js';
import { PRINTOUT_SIGNER_SOURCE, type PrintoutSignerSource } from './application/ports/printout-store.port.js';

/** Composition root of the API process: config -> database -> container -> HTTP. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'service-hall' } });
  const { config: resolved, embedded } = await prepareDatabase(config, logger);
  const container = await buildContainer(resolved, undefined, logger);
  if (resolved.seedDemo) await seedServiceItems(container, logger);
  // the printout signing key exists from the first start (generated under HALL_DATA_DIR unless configured)
  await container.get<PrintoutSignerSource>(PRINTOUT_SIGNER_SOURCE)();
  const app = createHttpApp(container);
  // reminder timers, e-mail deliveries and business-system calls, shared by every instance that works jobs
  const worker = resolved.jobs.worker ? new JobWorker(container, { connectionString: resolved.databaseUrl, maintenanceSeconds: resolved.jobs.maintenanceSeconds }, logger) : null;
  await worker?.start();
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(resolved.port, resolved.host, () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  logger.info({ port: typeof address === 'object' && address ? address.port : resolved.port }, 'Service Hall API listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.closeIdleConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await worker?.stop();
    await disposeContainer(container);
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Service Hall failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
