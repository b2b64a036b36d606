import { createServer, type Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.js';
import { awaitCurrentSchema, prepareDatabase } from './bootstrap.js';
import { buildContainer, disposeContainer, type Container } from './adapters/composition/container.js';
import { buildHttpApp } from './adapters/composition/http.js';
import { seedDemoServiceItems } from './adapters/composition/demo.js';
import { buildJobWorker } from './adapters/composition/jobs.js';
import { DEMO_PASSWORD } from './adapters/driving/seed/demo-people.js';
import { answerClientErrors } from './adapters/driving/http/client-errors.js';
import type { JobWorker } from './adapters/driving/jobs/job-worker.js';
import { closeServer, createLogger, notReady, onStop } from './lifecycle.js';

/**
 * Composition root of the API process: config -> database -> container -> HTTP, and the way back
 * on a stop: no new requests, those in flight finish (bounded), the job worker and the listeners
 * stop, the pools close, and only then the embedded PostgreSQL.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  // what has started, stopped in this order: requests, jobs, listeners and pools, then PostgreSQL
  const running: { server?: Server; worker?: JobWorker; container?: Container; stopDatabase?: () => Promise<void> } =
    {};
  let stopped = false;
  onStop(async (why) => {
    stopped = true;
    logger.info({ why }, 'shutting down');
    const steps: Array<[string, (() => Promise<void>) | undefined]> = [
      ['requests', running.server && (() => closeServer(running.server!, config.shutdownGraceSeconds))],
      ['job worker', running.worker && (() => running.worker!.stop())],
      ['listeners and pools', running.container && (() => disposeContainer(running.container!))],
      ['embedded PostgreSQL', running.stopDatabase],
    ];
    for (const [what, step] of steps) {
      const t0 = performance.now();
      try {
        await step?.();
      } catch (e) {
        logger.warn({ err: e, what }, 'while shutting down');
      }
      if (step) logger.info({ what, ms: Math.round(performance.now() - t0) }, `${what} stopped`);
    }
    logger.info('Service Hall stopped');
    process.exit(0);
  });

  const {
    config: resolved,
    embedded,
    pending,
  } = await prepareDatabase(config, logger, { migrate: config.migrateOnStart });
  running.stopDatabase = embedded?.stop;
  if (stopped) return;

  // listening from the start, so probes and early requests get an answer (503, not ready) and never hang
  let startingReason = () => 'starting';
  const starting = notReady(() => startingReason());
  const server: Server = createServer(starting);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  running.server = server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : resolved.port;
  logger.info({ port }, 'Service Hall API listening');

  if (pending.length) {
    // alive but not ready until an operator migrates: the schema changes only on purpose
    logger.warn(
      { pending },
      'waiting for pending migrations: run `hall db migrate` (or start with MIGRATE_ON_START=1)',
    );
    startingReason = () =>
      `pending migrations: ${pending.join(', ')}; run \`hall db migrate\` (or start with MIGRATE_ON_START=1)`;
    const current = await awaitCurrentSchema(resolved, logger, pending, { everyMs: 2000, stopped: () => stopped });
    if (!current) return;
    startingReason = () => 'starting';
    logger.info('migrations applied by an operator; starting');
  }

  const container: Container = await buildContainer(resolved, undefined, logger);
  running.container = container;
  if (resolved.seedDemo) await seedDemoServiceItems(container, logger);
  // fail fast: an online item's transfer node whose business system is no longer configured
  for (const u of await container.useCases.unconfiguredConnectors.execute()) {
    logger.warn(
      u,
      `online item ${u.code}: node '${u.node}' calls connector '${u.connector}', which is not configured (CONNECTORS)`,
    );
  }
  // the printout signing key exists from the first start (generated under HALL_DATA_DIR unless configured)
  await container.ports.signer();
  // so is the audit checkpoint key (AUDIT_SIGNING_KEY_FILE)
  await container.ports.checkpointKeys.signer();
  // reminder timers, e-mail deliveries and business-system calls, shared by every instance that works jobs
  if (resolved.jobs.worker) {
    const worker = buildJobWorker(
      container,
      {
        connectionString: resolved.databaseUrl,
        maintenanceSeconds: resolved.jobs.maintenanceSeconds,
        audit: { checkpointEveryMs: resolved.audit.checkpointMinutes * 60_000 },
      },
      logger,
    );
    await worker.start();
    running.worker = worker;
  }
  if (stopped) return;
  server.off('request', starting);
  server.on('request', buildHttpApp(container));

  const base = `http://${resolved.host === '0.0.0.0' || resolved.host === '::' ? 'localhost' : resolved.host}:${port}`;
  logger.info(
    `Service Hall is ready: API ${base}/api/v1 · docs ${base}/api/docs · metrics ${base}/metrics${resolved.seedDemo ? ` · demo accounts in README.md ("Demo accounts"), password ${DEMO_PASSWORD}` : ''}`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`Service Hall failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
