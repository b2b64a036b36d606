import type { Server } from 'node:http';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { prepareDatabase } from './bootstrap.js';
import { buildContainer, disposeContainer } from './adapters/composition/container.js';
import { buildHttpApp } from './adapters/composition/http.js';
import { seedDemoServiceItems } from './adapters/composition/demo.js';
import { buildJobWorker } from './adapters/composition/jobs.js';

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
  if (resolved.seedDemo) await seedDemoServiceItems(container, logger);
  // the printout signing key exists from the first start (generated under HALL_DATA_DIR unless configured)
  await container.ports.signer();
  const app = buildHttpApp(container);
  // background work shared by every instance through the database (leases, SKIP LOCKED)
  const dispatcher = container.useCases.dispatchConnectorRequests;
  let dispatching = false;
  const dispatchTimer = setInterval(() => {
    if (dispatching) return;
    dispatching = true;
    dispatcher.runOnce().catch((e: unknown) => logger.error({ err: e }, 'connector dispatch failed')).finally(() => { dispatching = false; });
  }, 2000);
  // reminder timers and e-mail deliveries, shared by every instance that works jobs
  const worker = resolved.jobs.worker ? buildJobWorker(container, { connectionString: resolved.databaseUrl, maintenanceSeconds: resolved.jobs.maintenanceSeconds }, logger) : null;
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
    clearInterval(dispatchTimer);
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
