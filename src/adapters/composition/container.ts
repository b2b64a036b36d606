import 'reflect-metadata';
import { Container } from 'inversify';
import type { Knex } from 'knex';
import pino, { type Logger } from 'pino';
import type { Config } from '../../config.js';
import { startLivePolicy } from '../driven/casbin/live-policy.js';
import { createKnex } from '../driven/knex/knex-database.js';
import { authModule } from './auth.container-module.js';
import { databaseModule } from './database.container-module.js';
import { CONFIG, KNEX, LIVE_CALENDAR, LOGGER, PG_NOTIFICATIONS, POLICY_WATCHER } from './tokens.js';
import { PgNotificationListener } from '../driven/pg-notify/pg-notification-listener.js';
import { PgPolicyWatcher } from '../driven/casbin/pg-policy-watcher.js';
import { LiveWorkingCalendar } from '../driven/calendar/live-working-calendar.js';
import { BUSINESS_CONNECTORS } from '../../application/ports/business-connectors.port.js';
import { useCasesModule } from './use-cases.container-module.js';
import { printoutModule } from './printout.container-module.js';

export interface ResolvedConfig extends Config {
  databaseUrl: string;
  sessionSecret: string;
}

/**
 * The one composition root, used by the API process, the CLI and the tests. `overrides` may rebind
 * anything after the production bindings (tests replace a port with a fake this way).
 */
export async function buildContainer(config: ResolvedConfig, overrides?: (c: Container) => void, logger?: Logger): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  const knex = createKnex(config.databaseUrl, config.dbPoolMax, config.dbAcquireTimeoutMs);
  let calendar: LiveWorkingCalendar | undefined;
  let notifications: PgNotificationListener | undefined;
  let watcher: PgPolicyWatcher | undefined;
  try {
    const log = logger ?? pino({ level: config.logLevel });
    // policy changes committed by any instance reach this one's enforcer, one by one
    const live = await startLivePolicy({ knex, databaseUrl: config.databaseUrl, logger: log });
    const { enforcer } = live;
    watcher = live.watcher;
    container.bind(POLICY_WATCHER).toConstantValue(watcher);
    // the university calendar: stored years, shipped ones seeded; every instance reloads on a change
    calendar = new LiveWorkingCalendar(config.databaseUrl, log);
    await calendar.start();
    container.bind(LIVE_CALENDAR).toConstantValue(calendar);
    container.bind(CONFIG).toConstantValue(config);
    container.bind(LOGGER).toConstantValue(log);
    // one connection LISTENing for every channel the modules subscribe to (ended sessions, ...)
    notifications = new PgNotificationListener({ connectionString: config.databaseUrl, logger: log, applicationName: 'service-hall-notifications' });
    container.bind(PG_NOTIFICATIONS).toConstantValue(notifications);
    container.load(
      databaseModule(knex, config),
      authModule({ knex, enforcer, sessionSecret: config.sessionSecret, sessionTtlMinutes: config.sessionTtlMinutes, sessionIdleMinutes: config.sessionIdleMinutes, sessionCacheSeconds: config.sessionCacheSeconds, notifications, cas: config.cas, oidc: config.oidc, ldap: config.ldap, localAccounts: config.localAccounts }),
      useCasesModule,
      printoutModule(knex, config),
    );
    await notifications.start();
    overrides?.(container);
    return container;
  } catch (e) {
    await notifications?.stop();
    await calendar?.stop();
    await watcher?.stop();
    await knex.destroy();
    throw e;
  }
}

export async function disposeContainer(container: Container): Promise<void> {
  container.get<{ shutdown(): void }>(BUSINESS_CONNECTORS).shutdown();
  await container.get<PgPolicyWatcher>(POLICY_WATCHER).stop();
  await container.get<LiveWorkingCalendar>(LIVE_CALENDAR).stop();
  await container.get<PgNotificationListener>(PG_NOTIFICATIONS).stop();
  await container.get<Knex>(KNEX).destroy();
}
