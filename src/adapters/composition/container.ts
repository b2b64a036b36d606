import type { Knex } from 'knex';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '../../config.js';
import { LiveWorkingCalendar } from '../driven/calendar/live-working-calendar.js';
import { startLivePolicy } from '../driven/casbin/live-policy.js';
import type { PgPolicyWatcher } from '../driven/casbin/pg-policy-watcher.js';
import { createKnex } from '../driven/knex/knex-database.js';
import { PgNotificationListener } from '../driven/pg-notify/pg-notification-listener.js';
import { authPorts } from './auth.ports.js';
import { databasePorts } from './database.ports.js';
import { printoutPorts } from './printout.ports.js';
import { auditPorts } from './audit.ports.js';
import { seedsDir } from './seeds-dir.js';
import { KnexOperationsFigures } from '../driven/knex/knex-operations-figures.js';
import { pluginInstances, readHallConfig } from '../plugin-host/hall-config.js';
import { loadPlugins } from '../plugin-host/plugin-host.js';
import { PluginHealthBoard } from '../plugin-host/plugin-health-board.js';
import { buildUseCases, type UseCases } from './use-cases.js';
import type { Ports } from './ports.js';

export type { Ports } from './ports.js';

export interface ResolvedConfig extends Config {
  databaseUrl: string;
  sessionSecret: string;
}

/** What one process (API, CLI command, test) is made of: its ports and the use cases built on them. */
export interface Container {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  /** The instance's connection pool: tests and benches look at the database through it. */
  readonly knex: Knex;
  readonly ports: Ports;
  readonly useCases: UseCases;
  /** One connection LISTENing for what other instances announce (ended sessions, ...). */
  readonly notifications: PgNotificationListener;
  /** Connections held open for the life of the container, stopped by disposeContainer. */
  readonly background: { policyWatcher: PgPolicyWatcher; calendar: LiveWorkingCalendar };
}

/**
 * Replaces ports after the production ones are built and before any use case is: tests swap a port
 * for a fake (a clock they move, a failing unit of work) and every use case gets the fake.
 */
export type Overrides = (built: { knex: Knex; ports: Ports }) => Partial<Ports>;

/**
 * The one composition root, used by the API process, the CLI and the tests: the driven adapters,
 * each given as the port it implements; then each use case, given only the ports it uses.
 */
export async function buildContainer(
  config: ResolvedConfig,
  overrides?: Overrides,
  logger?: Logger,
): Promise<Container> {
  const knex = createKnex(config.databaseUrl, config.dbPoolMax, config.dbAcquireTimeoutMs);
  let calendar: LiveWorkingCalendar | undefined;
  let notifications: PgNotificationListener | undefined;
  let watcher: PgPolicyWatcher | undefined;
  try {
    const log = logger ?? pino({ level: config.logLevel });
    // the plugins first: one that cannot start stops the start, naming itself and the key
    const pluginHealth = new PluginHealthBoard();
    const instances = pluginInstances(
      config.hallConfigFile ? await readHallConfig(config.hallConfigFile) : undefined,
      config.connectors,
      process.env,
    );
    const plugins = await loadPlugins(instances, {
      logger: log,
      onHealth: (plugin, report) => pluginHealth.report(plugin, report),
    });
    pluginHealth.loaded(plugins);
    // policy changes committed by any instance reach this one's enforcer, one by one
    const live = await startLivePolicy({ knex, databaseUrl: config.databaseUrl, logger: log });
    watcher = live.watcher;
    // the university calendar: stored years, shipped ones seeded; every instance reloads on a change
    calendar = new LiveWorkingCalendar(config.databaseUrl, log, path.join(seedsDir(), 'calendars'));
    await calendar.start();
    // one connection LISTENing for every channel the modules subscribe to (ended sessions, ...)
    notifications = new PgNotificationListener({
      connectionString: config.databaseUrl,
      logger: log,
      applicationName: 'service-hall-notifications',
    });
    const auth = authPorts({
      knex,
      enforcer: live.enforcer,
      sessionSecret: config.sessionSecret,
      sessionTtlMinutes: config.sessionTtlMinutes,
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionCacheSeconds: config.sessionCacheSeconds,
      notifications,
      cas: config.cas,
      oidc: config.oidc,
      ldap: config.ldap,
      localAccounts: config.localAccounts,
    });
    const built: Ports = {
      ...databasePorts(knex, config, {
        sessionsEnded: auth.sessionsEnded,
        logger: log,
        calendar,
        plugins,
        pluginPersonalData: Object.fromEntries(Object.entries(instances).map(([id, i]) => [id, i.personalData])),
        databaseUrl: config.databaseUrl,
      }),
      ...auth.ports,
      ...printoutPorts(knex, config),
      ...auditPorts(knex, config),
      pluginHealth,
    };
    await notifications.start();
    const ports: Ports = { ...built, ...overrides?.({ knex, ports: built }) };
    // each sink's backlog, read from the database when the metrics are read
    const sinkNames = ports.sinks.map((s) => s.name);
    if (sinkNames.length) ports.metrics.outboxFigures(() => ports.outboxRelay.figures(sinkNames, ports.clock.now()));
    if (plugins.length) ports.metrics.pluginHealth(() => ports.pluginHealth.reports());
    // open and overdue tasks, job queues and connector breakers, read when the metrics are read
    const figures = new KnexOperationsFigures(knex);
    ports.metrics.taskFigures(() => figures.tasks());
    ports.metrics.jobFigures(() => figures.jobs());
    const breakers = ports.connectors as Partial<{ openBreakers(): string[] }>;
    ports.metrics.breakerFigures(() => {
      const open = new Set(breakers.openBreakers?.() ?? []);
      return [...ports.connectors.configured()].map((connector) => ({ connector, open: open.has(connector) }));
    });
    return {
      config,
      logger: log,
      knex,
      ports,
      useCases: buildUseCases(ports, config),
      notifications,
      background: { policyWatcher: watcher, calendar },
    };
  } catch (e) {
    await notifications?.stop();
    await calendar?.stop();
    await watcher?.stop();
    await knex.destroy();
    throw e;
  }
}

export async function disposeContainer(container: Container): Promise<void> {
  // the production connectors hold circuit breakers (timers); a test's replacement may not
  (container.ports.connectors as Partial<{ shutdown(): void }>).shutdown?.();
  for (const sink of container.ports.sinks) (sink as Partial<{ shutdown(): void }>).shutdown?.();
  // reads traced but not yet written go first, while the pool is still there
  await (container.ports.readTrail as Partial<{ close(): Promise<void> }>).close?.();
  await container.background.policyWatcher.stop();
  await container.background.calendar.stop();
  await container.notifications.stop();
  await container.knex.destroy();
}
